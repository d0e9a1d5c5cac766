//! The states of purchase requests and quotes, and who may quote: one place that decides,
//! read by the use cases and by the pages.

use crate::domain::{text_enum, OrgKind};

text_enum!(
    /// A purchase request's status; `expired` is how an open request past its deadline reads.
    RequestStatus {
        Open => "open",
        Awarded => "awarded",
        Cancelled => "cancelled",
        Expired => "expired",
    }
);

text_enum!(
    /// A quote's status; `expired` is how a submitted quote past its validity reads.
    QuoteStatus {
        Submitted => "submitted",
        Accepted => "accepted",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
        Expired => "expired",
    }
);

/// Whether an organization of `kind` may quote on a request in `request` status (or revise
/// its quote there), its own quote being in `own` status: exporters, on open requests,
/// unless their quote was accepted.
pub fn may_quote(kind: Option<OrgKind>, request: RequestStatus, own: Option<QuoteStatus>) -> bool {
    kind == Some(OrgKind::Exporter)
        && request == RequestStatus::Open
        && own != Some(QuoteStatus::Accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exporters_quote_on_open_requests_until_accepted() {
        let exporter = Some(OrgKind::Exporter);
        assert!(may_quote(exporter, RequestStatus::Open, None));
        assert!(may_quote(
            exporter,
            RequestStatus::Open,
            Some(QuoteStatus::Rejected)
        ));
        assert!(!may_quote(
            exporter,
            RequestStatus::Open,
            Some(QuoteStatus::Accepted)
        ));
        assert!(!may_quote(exporter, RequestStatus::Expired, None));
        assert!(!may_quote(Some(OrgKind::Buyer), RequestStatus::Open, None));
        assert!(!may_quote(None, RequestStatus::Open, None));
    }
}
