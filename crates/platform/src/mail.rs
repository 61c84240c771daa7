//! Outgoing mail as a port. Adapters: log (development), `.eml` files in the data dir
//! (default; what tests read), SMTP (production). All built on `lettre`.

use std::path::PathBuf;

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailConfig, MailTransport};
use crate::telemetry::mask_email;

#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: OutgoingMail) -> anyhow::Result<()>;
}

enum Transport {
    Log,
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

pub struct LettreMailer {
    from: Mailbox,
    transport: Transport,
}

impl LettreMailer {
    pub fn from_config(config: &MailConfig, outbox: PathBuf) -> anyhow::Result<Self> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("mail.from: {e}"))?;
        let transport = match config.transport {
            MailTransport::Log => Transport::Log,
            MailTransport::File => {
                std::fs::create_dir_all(&outbox).map_err(|e| {
                    anyhow::anyhow!("cannot create mail outbox {}: {e}", outbox.display())
                })?;
                Transport::File(AsyncFileTransport::new(outbox))
            }
            MailTransport::Smtp => {
                let url = config
                    .smtp_url
                    .as_deref()
                    .ok_or_else(|| anyhow::anyhow!("mail.smtp_url is required for smtp"))?;
                Transport::Smtp(
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                        .map_err(|e| anyhow::anyhow!("mail.smtp_url: {e}"))?
                        .build(),
                )
            }
        };
        Ok(LettreMailer { from, transport })
    }
}

#[async_trait]
impl Mailer for LettreMailer {
    async fn send(&self, mail: OutgoingMail) -> anyhow::Result<()> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| anyhow::anyhow!("recipient: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .body(mail.body.clone())?;
        match &self.transport {
            Transport::Log => {
                // Development adapter: the body (which may hold a one-time code) is logged so
                // a developer without mail can finish the flow. Never use it in production.
                tracing::info!(to = %mask_email(&mail.to), subject = %mail.subject, body = %mail.body, "mail (log transport)");
            }
            Transport::File(t) => {
                t.send(message).await?;
                tracing::info!(to = %mask_email(&mail.to), subject = %mail.subject, "mail written to outbox");
            }
            Transport::Smtp(t) => {
                t.send(message).await?;
                tracing::info!(to = %mask_email(&mail.to), subject = %mail.subject, "mail sent");
            }
        }
        Ok(())
    }
}
