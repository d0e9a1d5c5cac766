//! One error type for the whole service, rendered as `application/problem+json` (RFC 9457)
//! with a stable machine `code`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

pub use crate::domain::Check;

/// One bad field of a request, named by its path (`organization.credit_code`), with what is
/// wrong as the API says it (`message`) and as a code for pages (`check`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    #[serde(skip)]
    #[schema(ignore)]
    pub check: Option<Check>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<Check>) -> Self {
        let check = message.into();
        FieldError {
            field: field.into(),
            message: check.to_string(),
            check: match check {
                Check::Other(_) => None,
                coded => Some(coded),
            },
        }
    }
}

/// One bad field of one row of an uploaded file (`row` is the line number, the header being 1).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub message: String,
    /// The validator's coded result, for pages to word in their language.
    #[serde(skip)]
    #[schema(ignore)]
    pub check: Option<Check>,
}

impl RowError {
    /// A row's field refused by a coded check (its message is the check's sentence).
    pub fn checked(row: usize, field: impl Into<String>, check: Check) -> RowError {
        RowError {
            row,
            field: field.into(),
            message: check.to_string(),
            check: Some(check),
        }
    }
}

/// How many row errors one answer lists: a file of 10,000 bad rows gets the first ones and a
/// count of the rest, not a response of many megabytes.
pub const MAX_LISTED_ROW_ERRORS: usize = 1_000;

/// Row errors as an answer lists them: collected up to the limit, the rest only counted.
#[derive(Debug, Default)]
pub struct RowErrors {
    listed: Vec<RowError>,
    omitted: usize,
}

impl RowErrors {
    pub fn push(&mut self, error: RowError) {
        if self.listed.len() < MAX_LISTED_ROW_ERRORS {
            self.listed.push(error);
        } else {
            self.omitted += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// The errors by row, with one last entry counting those left out.
    pub fn into_vec(mut self) -> Vec<RowError> {
        self.listed.sort_by_key(|e| e.row);
        if self.omitted > 0 {
            let row = self.listed.last().map_or(1, |e| e.row);
            self.listed.push(RowError {
                row,
                field: "file".into(),
                message: format!(
                    "{} more problems are not listed; fix these and try again",
                    self.omitted
                ),
                check: None,
            });
        }
        self.listed
    }
}

impl Extend<RowError> for RowErrors {
    fn extend<I: IntoIterator<Item = RowError>>(&mut self, errors: I) {
        for error in errors {
            self.push(error);
        }
    }
}

crate::domain::text_enum! {
    /// Every machine `code` a problem document can carry: one closed set, each with its
    /// message (`problem-{code}`) in both languages.
    ProblemCode {
        ValidationFailed => "validation_failed",
        BadRequest => "bad_request",
        Unauthorized => "unauthorized",
        Forbidden => "forbidden",
        NotFound => "not_found",
        MethodNotAllowed => "method_not_allowed",
        Conflict => "conflict",
        InvalidTransition => "invalid_transition",
        RateLimited => "rate_limited",
        PayloadTooLarge => "payload_too_large",
        UnsupportedMediaType => "unsupported_media_type",
        DatabaseBusy => "database_busy",
        DatabaseUnavailable => "database_unavailable",
        Unavailable => "unavailable",
        ShuttingDown => "shutting_down",
        InternalError => "internal_error",
        AlreadyApplied => "already_applied",
        AlreadyReviewed => "already_reviewed",
        AlreadyRequested => "already_requested",
        AmountTooLarge => "amount_too_large",
        BelowMoq => "below_moq",
        CreditCodeTaken => "credit_code_taken",
        CsrfFailed => "csrf_failed",
        EmailTaken => "email_taken",
        GreenChannelRequired => "green_channel_required",
        IdempotencyKeyReused => "idempotency_key_reused",
        InsufficientStock => "insufficient_stock",
        InvalidToken => "invalid_token",
        LastOwner => "last_owner",
        ListChanged => "list_changed",
        ListEmpty => "list_empty",
        OrganizationNotVerified => "organization_not_verified",
        OrganizationSuspended => "organization_suspended",
        QuoteRevised => "quote_revised",
        RuleViolation => "rule_violation",
        SkuTaken => "sku_taken",
        SlugTaken => "slug_taken",
        StockChanged => "stock_changed",
        TooManyImages => "too_many_images",
        CreditLimitExceeded => "credit_limit_exceeded",
        LineAllocated => "line_allocated",
        PaymentExceedsDue => "payment_exceeds_due",
        AlreadyReversed => "already_reversed",
        RefundExceedsPaid => "refund_exceeds_paid",
        InvoiceRequested => "invoice_requested",
        NothingToInvoice => "nothing_to_invoice",
        InvoiceExceedsTotal => "invoice_exceeds_total",
        InvoiceNumberTaken => "invoice_number_taken",
        InvoiceClosed => "invoice_closed",
        CaseOpen => "case_open",
        CaseChanged => "case_changed",
        TooEarly => "too_early",
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("the file has invalid rows")]
    RowValidation(Vec<RowError>),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{detail}")]
    Forbidden { code: ProblemCode, detail: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{detail}")]
    Conflict { code: ProblemCode, detail: String },
    /// A conflict that names the fields it concerns (e.g. lines short of stock).
    #[error("{detail}")]
    ConflictWithErrors {
        code: ProblemCode,
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("{0}")]
    InvalidTransition(String),
    /// A well-formed request that breaks a business rule with its own code.
    #[error("{detail}")]
    Unprocessable {
        code: ProblemCode,
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("too many requests")]
    RateLimited { retry_after_secs: i64 },
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The database kept the request waiting too long (a lock, the pool), or it kept losing
    /// to concurrent transactions: try again shortly.
    #[error("the database is busy; try again shortly")]
    DatabaseBusy {
        cause: String,
        /// Lost to a concurrent transaction: `write_transaction` runs it again first.
        retryable: bool,
    },
    /// The database cannot be reached.
    #[error("the database is not reachable right now; try again later")]
    DatabaseUnavailable { cause: String },
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// One entry of a problem's `errors` (for the API document): a field, what is wrong with
/// it, and for uploaded files the row.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProblemItem {
    /// The field's path (`lines[1].quantity`), or the file's column.
    field: String,
    message: String,
    /// For uploaded files: the row (the header being row 1).
    row: Option<u64>,
}

/// The problem document every error response carries.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: String,
    /// `[{field, message}]`, or `[{row, field, message}]` for uploaded files.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<ProblemItem>>)]
    pub errors: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, code: ProblemCode, detail: impl Into<String>) -> Self {
        Problem {
            type_: format!(
                "https://tradezone.local/problems/{}",
                code.as_str().replace('_', "-")
            ),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.as_str().to_string(),
            errors: None,
            request_id: None,
        }
    }

    pub fn into_response(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
            .body(serde_json::to_string(&self).unwrap_or_default())
    }
}

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<Check>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        AppError::Forbidden {
            code: ProblemCode::Forbidden,
            detail: detail.into(),
        }
    }

    pub fn conflict(code: ProblemCode, detail: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            detail: detail.into(),
        }
    }

    /// The pool gave up waiting for a connection: busy, or the database cannot be reached.
    pub fn no_connection(pool: &crate::db::DbPool, error: r2d2::Error) -> Self {
        use crate::db::trouble::{classify_pool_timeout, Trouble};
        match classify_pool_timeout(pool) {
            Trouble::Unavailable => AppError::DatabaseUnavailable {
                cause: error.to_string(),
            },
            _ => AppError::DatabaseBusy {
                cause: format!("{error}: every pooled connection is in use"),
                retryable: false,
            },
        }
    }

    /// A sum of money past the documented limit, naming the fields that carry it.
    pub fn amount_too_large(errors: Vec<FieldError>) -> Self {
        AppError::Unprocessable {
            code: ProblemCode::AmountTooLarge,
            detail: format!(
                "the amount is larger than the limit of {} cents per order",
                crate::domain::Money::MAX_CENTS
            ),
            errors,
        }
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} not found"))
    }

    /// The same conflict, naming the fields it concerns.
    pub fn with_errors(self, errors: Vec<FieldError>) -> Self {
        match self {
            AppError::Conflict { code, detail } => AppError::ConflictWithErrors {
                code,
                detail,
                errors,
            },
            other => other,
        }
    }

    /// The fields an error names (validation, rule and conflict errors), if any.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(errors)
            | AppError::Unprocessable { errors, .. }
            | AppError::ConflictWithErrors { errors, .. } => errors,
            _ => &[],
        }
    }

    /// The same error with its fields renamed by `rename` (None keeps a name).
    pub fn rename_fields(mut self, rename: impl Fn(&str) -> Option<String>) -> Self {
        if let AppError::Validation(errors)
        | AppError::Unprocessable { errors, .. }
        | AppError::ConflictWithErrors { errors, .. } = &mut self
        {
            for error in errors {
                if let Some(name) = rename(&error.field) {
                    error.field = name;
                }
            }
        }
        self
    }

    pub fn code(&self) -> ProblemCode {
        match self {
            AppError::Validation(_) | AppError::RowValidation(_) => ProblemCode::ValidationFailed,
            AppError::BadRequest(_) => ProblemCode::BadRequest,
            AppError::Unauthorized(_) => ProblemCode::Unauthorized,
            AppError::Forbidden { code, .. } => *code,
            AppError::NotFound(_) => ProblemCode::NotFound,
            AppError::Conflict { code, .. } | AppError::ConflictWithErrors { code, .. } => *code,
            AppError::InvalidTransition(_) => ProblemCode::InvalidTransition,
            AppError::Unprocessable { code, .. } => *code,
            AppError::RateLimited { .. } => ProblemCode::RateLimited,
            AppError::PayloadTooLarge(_) => ProblemCode::PayloadTooLarge,
            AppError::UnsupportedMediaType(_) => ProblemCode::UnsupportedMediaType,
            AppError::DatabaseBusy { .. } => ProblemCode::DatabaseBusy,
            AppError::DatabaseUnavailable { .. } => ProblemCode::DatabaseUnavailable,
            AppError::Internal(_) => ProblemCode::InternalError,
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        use crate::db::trouble::{classify, Trouble};
        match classify(&error) {
            Some(trouble @ (Trouble::Busy | Trouble::Retry)) => AppError::DatabaseBusy {
                cause: error.to_string(),
                retryable: trouble == Trouble::Retry,
            },
            Some(Trouble::Unavailable) => AppError::DatabaseUnavailable {
                cause: error.to_string(),
            },
            None => match error {
                diesel::result::Error::NotFound => AppError::NotFound("not found".into()),
                // A race the feature did not name more precisely: still a conflict, not a bug.
                e if crate::db::is_unique_violation(&e) => AppError::Conflict {
                    code: ProblemCode::Conflict,
                    detail:
                        "this conflicts with a change made at the same time; reload and try again"
                            .into(),
                },
                other => AppError::Internal(other.into()),
            },
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        match error.downcast::<diesel::result::Error>() {
            Ok(diesel_error) => diesel_error.into(),
            Err(other) => AppError::Internal(other),
        }
    }
}

impl crate::db::transaction::TransactionError for AppError {
    fn worth_retrying(&self) -> bool {
        matches!(
            self,
            AppError::DatabaseBusy {
                retryable: true,
                ..
            }
        )
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::anyhow!("blocking task failed: {error}"))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_)
            | AppError::RowValidation(_)
            | AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. }
            | AppError::ConflictWithErrors { .. }
            | AppError::InvalidTransition(_) => StatusCode::CONFLICT,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::DatabaseBusy { .. } | AppError::DatabaseUnavailable { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let detail = match self {
            AppError::Internal(cause) => {
                // Logged inside the request span, so the line carries the request id.
                tracing::error!(error = ?cause, "internal error");
                "an internal error occurred; quote the request id when reporting it".to_string()
            }
            AppError::Validation(errors) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                format!("invalid fields: {}", fields.join(", "))
            }
            AppError::RowValidation(errors) => {
                let mut rows: Vec<usize> = errors.iter().map(|e| e.row).collect();
                rows.dedup();
                if rows == [1] {
                    "the header row is invalid; nothing was written".to_string()
                } else {
                    format!("{} invalid rows; nothing was written", rows.len())
                }
            }
            AppError::RateLimited { retry_after_secs } => {
                format!("too many requests; retry in {retry_after_secs} seconds")
            }
            AppError::DatabaseBusy { cause, .. } => {
                tracing::warn!(%cause, "database busy");
                self.to_string()
            }
            AppError::DatabaseUnavailable { cause } => {
                tracing::warn!(%cause, "database unavailable");
                self.to_string()
            }
            other => other.to_string(),
        };
        let mut problem = Problem::new(status, self.code(), detail);
        match self {
            AppError::Validation(errors) => problem.errors = serde_json::to_value(errors).ok(),
            AppError::RowValidation(errors) => problem.errors = serde_json::to_value(errors).ok(),
            AppError::ConflictWithErrors { errors, .. } => {
                problem.errors = serde_json::to_value(errors).ok()
            }
            AppError::Unprocessable { errors, .. } if !errors.is_empty() => {
                problem.errors = serde_json::to_value(errors).ok()
            }
            _ => {}
        }
        let mut response = problem.into_response();
        let retry_after = match self {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            AppError::DatabaseBusy { .. } => Some(1),
            AppError::DatabaseUnavailable { .. } => Some(5),
            _ => None,
        };
        if let AppError::Unauthorized(_) = self {
            // RFC 6750: tells the client which credentials to present.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"tradezone\""),
            );
        }
        if let Some(seconds) = retry_after {
            if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Collects every bad field of a request before answering.
#[derive(Default, Debug)]
pub struct Violations(Vec<FieldError>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn into_errors(self) -> Vec<FieldError> {
        self.0
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<Check>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Keeps the parsed value, or records why it was refused.
    pub fn check<T, E: Into<Check>>(&mut self, field: &str, parsed: Result<T, E>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}
