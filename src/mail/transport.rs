//! Where mail goes, chosen by `TRADEZONE_MAIL_URL`: `file:<dir>` (one .eml per message),
//! `smtp://[user:pass@]host:port[?tls=none|starttls|tls]`, or `log`.

use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{FileTransport, SmtpTransport, Transport};

pub enum Mailer {
    File(FileTransport),
    Smtp(SmtpTransport),
    Log,
}

/// A message as the outbox holds it.
pub struct OutgoingMail {
    /// The outbox row: the message's `Message-ID` is made from it.
    pub id: crate::db::Id,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
}

impl Mailer {
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        if url == "log" {
            return Ok(Mailer::Log);
        }
        if let Some(dir) = url.strip_prefix("file:") {
            let dir = dir.strip_prefix("//").unwrap_or(dir);
            std::fs::create_dir_all(dir)?;
            return Ok(Mailer::File(FileTransport::new(dir)));
        }
        if url.starts_with("smtp://") || url.starts_with("smtps://") {
            let parsed = url::Url::parse(url)?;
            let host = parsed
                .host_str()
                .ok_or_else(|| anyhow::anyhow!("the mail URL has no host"))?
                .to_string();
            let default_tls = if parsed.scheme() == "smtps" {
                "tls"
            } else {
                "starttls"
            };
            let tls = parsed
                .query_pairs()
                .find(|(k, _)| k == "tls")
                .map(|(_, v)| v.to_string())
                .unwrap_or_else(|| default_tls.to_string());
            let mut builder = match tls.as_str() {
                "none" => SmtpTransport::builder_dangerous(&host),
                "starttls" => SmtpTransport::starttls_relay(&host)?,
                "tls" => SmtpTransport::relay(&host)?,
                other => anyhow::bail!("unknown tls mode {other:?}: use none, starttls or tls"),
            };
            if let Some(port) = parsed.port() {
                builder = builder.port(port);
            }
            if !parsed.username().is_empty() {
                let user = percent_decode(parsed.username());
                let password = percent_decode(parsed.password().unwrap_or(""));
                builder = builder.credentials(Credentials::new(user, password));
            }
            return Ok(Mailer::Smtp(
                builder.timeout(Some(Duration::from_secs(20))).build(),
            ));
        }
        anyhow::bail!("unsupported mail URL {url:?}: use file:<dir>, smtp://host:port or log")
    }

    /// Hands one message to the transport (blocking).
    pub fn send(&self, from: &str, mail: &OutgoingMail) -> Result<(), String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("bad sender address: {e}"))?;
        let to: Mailbox = mail
            .recipient
            .parse()
            .map_err(|e| format!("bad recipient address: {e}"))?;
        let message = lettre::Message::builder()
            .message_id(Some(message_id(mail.id, &from)))
            .from(from)
            .to(to)
            .subject(&mail.subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(eight_bit_body(&mail.body_text)),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(eight_bit_body(&mail.body_html)),
                    ),
            )
            .map_err(|e| format!("building the message: {e}"))?;
        match self {
            Mailer::File(transport) => transport
                .send(&message)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Smtp(transport) => transport
                .send(&message)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Log => {
                tracing::info!(to = %mail.recipient, subject = %mail.subject, body = %mail.body_text, "mail");
                Ok(())
            }
        }
    }
}

/// An 8bit body: links stay readable in the raw message (quoted-printable would turn
/// `token=` into `token=3D` and fold long links). RFC 5322 allows lines of 998 bytes, so
/// longer ones are split (at character boundaries) and line ends become CRLF.
fn eight_bit_body(text: &str) -> Body {
    const MAX_LINE: usize = 990;
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        let mut rest = line;
        while rest.len() > MAX_LINE {
            let mut cut = MAX_LINE;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n");
            rest = &rest[cut..];
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    Body::dangerous_pre_encoded(out.into_bytes(), ContentTransferEncoding::EightBit)
}

/// The `Message-ID` of an outbox row: the same on every attempt to send it, so a receiver
/// can drop a copy that was sent twice.
pub fn message_id(outbox_id: crate::db::Id, from: &Mailbox) -> String {
    format!("<{}@{}>", outbox_id.0.simple(), from.email.domain())
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}
