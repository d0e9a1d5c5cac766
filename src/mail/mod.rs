//! Mail: messages are rendered from templates and written to the outbox in the transaction of
//! the event; the worker (worker.rs) sends them with retries.

pub mod transport;
pub mod worker;

use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::outbox;
use crate::db::{AnyConnection, Id};

#[derive(Clone)]
pub struct Action {
    pub label: String,
    pub url: String,
}

/// A mail to one person: greeting, paragraphs and an optional call to action.
pub struct Message {
    /// The recipient's language: the greeting, the footer and the page's language.
    pub locale: crate::i18n::Locale,
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub action: Option<Action>,
}

/// The words around a message, in its recipient's language.
struct Frame {
    lang: &'static str,
    greeting: String,
    or_open: String,
    signature: String,
}

impl Frame {
    fn of(message: &Message) -> Frame {
        let locale = message.locale;
        Frame {
            lang: locale.tag(),
            greeting: locale.t_with(
                "mail-greeting",
                &[("name", message.to_name.as_str().into())],
            ),
            or_open: locale.t("mail-or-open"),
            signature: locale.t("mail-signature"),
        }
    }
}

#[derive(Template)]
#[template(path = "email/message.txt")]
struct TextBody<'a> {
    frame: &'a Frame,
    paragraphs: &'a [String],
    action: &'a Option<Action>,
}

#[derive(Template)]
#[template(path = "email/message.html")]
struct HtmlBody<'a> {
    frame: &'a Frame,
    subject: &'a str,
    paragraphs: &'a [String],
    action: &'a Option<Action>,
}

/// Writes the mail to the outbox; call it inside the transaction of the event it reports.
pub fn enqueue(
    conn: &mut AnyConnection,
    message: &Message,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    let frame = Frame::of(message);
    let text = TextBody {
        frame: &frame,
        paragraphs: &message.paragraphs,
        action: &message.action,
    }
    .render()?;
    let html = HtmlBody {
        frame: &frame,
        subject: &message.subject,
        paragraphs: &message.paragraphs,
        action: &message.action,
    }
    .render()?;
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(Id::new()),
            outbox::recipient.eq(&message.to_email),
            outbox::subject.eq(&message.subject),
            outbox::body_text.eq(text),
            outbox::body_html.eq(html),
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
