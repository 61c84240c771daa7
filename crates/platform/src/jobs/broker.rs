//! The AMQP 1.0 side of the Service Bus backend: one connection per process, a sender
//! per queue, receivers in peek-lock mode, and the settlements Service Bus understands
//! (complete = accepted, abandon = released, dead-letter = rejected with
//! `com.microsoft:dead-letter`). The same code talks to RabbitMQ's AMQP 1.0 plugin, which
//! is what the tests run against (docs/operations.md lists what each broker verifies).
//!
//! A message only says "job X may be ready": the job itself is the database row.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use fe2o3_amqp::connection::ConnectionHandle;
use fe2o3_amqp::link::delivery::DeliveryInfo;
use fe2o3_amqp::sasl_profile::SaslProfile;
use fe2o3_amqp::session::SessionHandle;
use fe2o3_amqp::types::definitions::{self, ErrorCondition, Fields};
use fe2o3_amqp::types::messaging::{
    ApplicationProperties, Body, Data, Message, MessageAnnotations, MessageId, Properties, Source,
};
use fe2o3_amqp::types::primitives::{Binary, SimpleValue, Symbol, Timestamp, Value};
use fe2o3_amqp::{Connection, Receiver, Sender, Session};
use tokio::sync::Mutex;
use uuid::Uuid;

use super::config::ServiceBusConfig;

/// Service Bus: the instant (UTC) before which a message stays invisible.
pub const SCHEDULED_ENQUEUE_TIME: &str = "x-opt-scheduled-enqueue-time";
/// Our copy of the same instant (epoch ms), honoured by our consumer on brokers that
/// ignore the annotation (RabbitMQ).
pub const NOT_BEFORE: &str = "tripgen-not-before";
pub const JOB_ID: &str = "tripgen-job-id";
const SESSION_FILTER: &str = "com.microsoft:session-filter";
const DEAD_LETTER: &str = "com.microsoft:dead-letter";

/// Connection settings taken from `jobs.servicebus.url`.
#[derive(Clone)]
pub struct Endpoint {
    pub(crate) tls: bool,
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) user: Option<String>,
    pub(crate) password: Option<String>,
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Parses `amqp[s]://[user:password@]host[:port]`.
pub fn parse_url(raw: &str) -> Result<Endpoint, String> {
    let u = url::Url::parse(raw).map_err(|e| format!("not a URL: {e}"))?;
    let tls = match u.scheme() {
        "amqps" => true,
        "amqp" => false,
        s => return Err(format!("scheme `{s}`: must be amqps:// or amqp://")),
    };
    let host = u
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or("the URL names no host")?
        .to_string();
    let port = u.port().unwrap_or(if tls { 5671 } else { 5672 });
    let user = (!u.username().is_empty()).then(|| decode(u.username()));
    let password = u.password().map(decode);
    Ok(Endpoint {
        tls,
        host,
        port,
        user,
        password,
    })
}

#[derive(Debug, thiserror::Error)]
#[error("service bus: {0}")]
pub struct BrokerError(pub String);

impl BrokerError {
    fn of(what: &str, e: impl std::fmt::Display) -> BrokerError {
        BrokerError(format!("{what}: {e}"))
    }
}

impl From<BrokerError> for sqlx::Error {
    fn from(e: BrokerError) -> sqlx::Error {
        sqlx::Error::Io(std::io::Error::other(e.to_string()))
    }
}

/// How a held message is settled.
#[derive(Debug, Clone)]
pub enum Settle {
    /// Done with (the job finished, or needs no delivery any more).
    Complete,
    /// Give it back for another delivery now (its delivery count grows).
    Abandon,
    /// To the dead-letter queue with a reason.
    DeadLetter { reason: String, description: String },
}

/// A receiving link. Without sessions there is one per queue; with sessions one per
/// session being handled, re-attached to the next session when its session runs dry.
pub struct Lane {
    receiver: Mutex<Option<Receiver>>,
    epoch: u64,
    address: String,
    /// Messages of this lane not yet settled (sessions: one at a time keeps the order).
    unsettled: std::sync::atomic::AtomicUsize,
}

/// A received message.
pub struct Incoming {
    pub lane: Arc<Lane>,
    pub info: DeliveryInfo,
    /// `None`: not one of ours (dead-lettered by the caller).
    pub job_id: Option<Uuid>,
    pub not_before: Option<i64>,
}

struct Conn {
    // Kept so the connection lives as long as the session.
    _connection: ConnectionHandle<()>,
    session: SessionHandle<()>,
    senders: HashMap<String, Sender>,
    epoch: u64,
}

pub struct Broker {
    pub config: ServiceBusConfig,
    endpoint: Endpoint,
    conn: Mutex<Option<Conn>>,
    lanes: std::sync::Mutex<HashMap<String, Vec<Arc<Lane>>>>,
    epoch: AtomicU64,
}

impl Broker {
    pub fn new(config: ServiceBusConfig) -> Result<Broker, BrokerError> {
        let url = config
            .url
            .as_deref()
            .ok_or_else(|| BrokerError("jobs.servicebus.url is not set".into()))?;
        let endpoint = parse_url(url).map_err(|e| BrokerError::of("jobs.servicebus.url", e))?;
        Ok(Broker {
            config,
            endpoint,
            conn: Mutex::new(None),
            lanes: std::sync::Mutex::new(HashMap::new()),
            epoch: AtomicU64::new(1),
        })
    }

    /// The broker address of a job kind's queue.
    pub fn address(&self, kind: &str) -> String {
        format!("{}{kind}", self.config.address_prefix)
    }

    pub fn receive_wait(&self) -> Duration {
        Duration::from_millis(self.config.receive_wait_ms)
    }

    async fn open(&self) -> Result<Conn, BrokerError> {
        let e = &self.endpoint;
        let tcp = tokio::time::timeout(
            Duration::from_secs(10),
            tokio::net::TcpStream::connect((e.host.as_str(), e.port)),
        )
        .await
        .map_err(|_| BrokerError(format!("connecting to {}:{} timed out", e.host, e.port)))?
        .map_err(|err| BrokerError::of(&format!("connecting to {}:{}", e.host, e.port), err))?;
        let _ = tcp.set_nodelay(true);
        let container = format!("tripgen-{}", Uuid::now_v7().simple());
        let mut builder = Connection::builder()
            .container_id(container)
            .hostname(e.host.as_str())
            .idle_time_out(60_000u32);
        if let (Some(u), Some(p)) = (&e.user, &e.password) {
            builder = builder.sasl_profile(SaslProfile::Plain {
                username: u.clone(),
                password: p.clone(),
            });
        }
        let mut connection = if e.tls {
            let stream = tls(tcp, &e.host).await?;
            builder.open_with_stream(stream).await
        } else {
            builder.open_with_stream(tcp).await
        }
        .map_err(|err| BrokerError::of("opening the AMQP connection", err))?;
        let session = Session::begin(&mut connection)
            .await
            .map_err(|err| BrokerError::of("beginning the AMQP session", err))?;
        Ok(Conn {
            _connection: connection,
            session,
            senders: HashMap::new(),
            epoch: self.epoch.load(Ordering::SeqCst),
        })
    }

    /// Forgets the connection after an error; the next call reconnects. Messages held
    /// by the old links are redelivered by the broker.
    async fn reset(&self, epoch: u64) {
        let mut conn = self.conn.lock().await;
        if self.epoch.load(Ordering::SeqCst) != epoch {
            return;
        }
        self.epoch.fetch_add(1, Ordering::SeqCst);
        *conn = None;
        if let Ok(mut lanes) = self.lanes.lock() {
            lanes.clear();
        }
    }

    /// Readiness: the connection is open, or opens now (the same connection the queues
    /// use, so a probe adds no connection to the namespace's quota).
    pub async fn check(&self) -> Result<(), BrokerError> {
        let mut guard = self.conn.lock().await;
        if guard.is_none() {
            *guard = Some(self.open().await?);
        }
        Ok(())
    }

    /// Sends the message of job `id` to `kind`'s queue; `not_before` (epoch ms) schedules it.
    pub async fn publish(
        &self,
        kind: &str,
        id: Uuid,
        subject: Option<&str>,
        sequence: i64,
        not_before: Option<i64>,
    ) -> Result<(), BrokerError> {
        let address = self.address(kind);
        self.send(
            &address,
            job_message(id, kind, subject, sequence, not_before),
        )
        .await
    }

    /// Sends one message to any address on this connection (a sender per address,
    /// attached on first use); `Ok` once the broker accepted it. HealthSync's analytics
    /// producer sends its batches to the Event Hub through this.
    pub async fn send(&self, address: &str, message: Message<Data>) -> Result<(), BrokerError> {
        let address = address.to_string();
        let mut guard = self.conn.lock().await;
        if guard.is_none() {
            *guard = Some(self.open().await?);
        }
        let Some(conn) = guard.as_mut() else {
            return Err(BrokerError("no connection".into()));
        };
        let epoch = conn.epoch;
        if !conn.senders.contains_key(&address) {
            let name = format!("send-{address}-{}", Uuid::now_v7().simple());
            match Sender::attach(&mut conn.session, name, address.clone()).await {
                Ok(s) => {
                    conn.senders.insert(address.clone(), s);
                }
                Err(e) => {
                    drop(guard);
                    self.reset(epoch).await;
                    return Err(BrokerError::of(
                        &format!("attaching a sender to {address}"),
                        e,
                    ));
                }
            }
        }
        let Some(sender) = conn.senders.get_mut(&address) else {
            return Err(BrokerError("no sender".into()));
        };
        let outcome = tokio::time::timeout(Duration::from_secs(30), sender.send(message)).await;
        match outcome {
            Ok(Ok(o)) if o.is_accepted() => Ok(()),
            Ok(Ok(o)) => Err(BrokerError(format!("{address} refused the message: {o:?}"))),
            Ok(Err(e)) => {
                drop(guard);
                self.reset(epoch).await;
                Err(BrokerError::of(&format!("sending to {address}"), e))
            }
            Err(_) => {
                drop(guard);
                self.reset(epoch).await;
                Err(BrokerError(format!("sending to {address} timed out")))
            }
        }
    }

    /// The receiving lanes of `kind`, attached on first use.
    async fn lanes(&self, kind: &str) -> Result<Vec<Arc<Lane>>, BrokerError> {
        if let Ok(l) = self.lanes.lock()
            && let Some(v) = l.get(kind)
        {
            return Ok(v.clone());
        }
        let address = self.address(kind);
        let count = if self.config.sessions {
            self.config.session_receivers.max(1)
        } else {
            1
        };
        let mut guard = self.conn.lock().await;
        if guard.is_none() {
            *guard = Some(self.open().await?);
        }
        let Some(conn) = guard.as_mut() else {
            return Err(BrokerError("no connection".into()));
        };
        let epoch = conn.epoch;
        let mut made = Vec::new();
        for _ in 0..count {
            match self.attach_receiver(&mut conn.session, &address).await {
                Ok(r) => made.push(Arc::new(Lane {
                    receiver: Mutex::new(Some(r)),
                    epoch,
                    address: address.clone(),
                    unsettled: Default::default(),
                })),
                Err(e) => {
                    drop(guard);
                    self.reset(epoch).await;
                    return Err(e);
                }
            }
        }
        drop(guard);
        if let Ok(mut l) = self.lanes.lock() {
            return Ok(l.entry(kind.to_string()).or_insert(made).clone());
        }
        Ok(made)
    }

    async fn attach_receiver(
        &self,
        session: &mut SessionHandle<()>,
        address: &str,
    ) -> Result<Receiver, BrokerError> {
        let mut source = Source::builder().address(address.to_string());
        if self.config.sessions {
            // No session id: the broker hands this link the next session with messages.
            source = source.add_to_filter(SESSION_FILTER, None);
        }
        let mut receiver = Receiver::builder()
            .name(format!("recv-{address}-{}", Uuid::now_v7().simple()))
            .source(source.build())
            .credit_mode(fe2o3_amqp::link::receiver::CreditMode::Manual)
            // Peek-lock: the broker sends unsettled; our disposition settles (First mode:
            // one frame, which RabbitMQ and Service Bus both accept).
            .receiver_settle_mode(fe2o3_amqp::types::definitions::ReceiverSettleMode::First)
            .sender_settle_mode(fe2o3_amqp::types::definitions::SenderSettleMode::Unsettled)
            .attach(session)
            .await
            .map_err(|e| BrokerError::of(&format!("attaching a receiver to {address}"), e))?;
        receiver.set_auto_accept(false);
        Ok(receiver)
    }

    /// Waits up to the receive wait for one message of `kind` (peek-lock: the message
    /// stays the broker's until settled).
    pub async fn receive(&self, kind: &str) -> Result<Option<Incoming>, BrokerError> {
        let lanes = self.lanes(kind).await?;
        let wait = self.receive_wait() / lanes.len().max(1) as u32;
        for lane in lanes {
            // A session lane takes the next message of its session only after the last
            // one is settled: one trip's jobs run one after the other.
            if self.config.sessions && lane.unsettled.load(Ordering::SeqCst) > 0 {
                continue;
            }
            let mut guard = lane.receiver.lock().await;
            let Some(receiver) = guard.as_mut() else {
                continue;
            };
            let credit = if self.config.sessions {
                1
            } else {
                self.config.prefetch.max(1)
            };
            if receiver.credit() == 0
                && let Err(e) = receiver.set_credit(credit).await
            {
                drop(guard);
                self.reset(lane.epoch).await;
                return Err(BrokerError::of("granting credit", e));
            }
            match tokio::time::timeout(wait, receiver.recv::<Body<Value>>()).await {
                Err(_) => {
                    if self.config.sessions {
                        // The session ran dry: let it go, attach for the next one.
                        drop(guard);
                        self.next_session(&lane).await;
                    }
                    continue;
                }
                Ok(Err(e)) => {
                    drop(guard);
                    self.reset(lane.epoch).await;
                    return Err(BrokerError::of(
                        &format!("receiving from {}", lane.address),
                        e,
                    ));
                }
                Ok(Ok(delivery)) => {
                    drop(guard);
                    let (info, message) = delivery.into_parts();
                    lane.unsettled.fetch_add(1, Ordering::SeqCst);
                    let props = message.application_properties.as_ref();
                    let job_id = props.and_then(|p| p.0.get(JOB_ID)).and_then(|v| match v {
                        SimpleValue::String(s) => Uuid::parse_str(s).ok(),
                        _ => None,
                    });
                    let not_before =
                        props
                            .and_then(|p| p.0.get(NOT_BEFORE))
                            .and_then(|v| match v {
                                SimpleValue::Long(ms) => Some(*ms),
                                _ => None,
                            });
                    return Ok(Some(Incoming {
                        lane,
                        info,
                        job_id,
                        not_before,
                    }));
                }
            }
        }
        Ok(None)
    }

    async fn next_session(&self, lane: &Arc<Lane>) {
        if lane.unsettled.load(Ordering::SeqCst) > 0 {
            return;
        }
        let mut recv = lane.receiver.lock().await;
        if let Some(r) = recv.take() {
            let _ = r.close().await;
        }
        let mut guard = self.conn.lock().await;
        let Some(conn) = guard.as_mut() else {
            return;
        };
        if conn.epoch != lane.epoch {
            return;
        }
        match self.attach_receiver(&mut conn.session, &lane.address).await {
            Ok(r) => *recv = Some(r),
            Err(e) => tracing::warn!(error = %e, "cannot attach for the next session"),
        }
    }

    /// Settles a received message. A link lost since (reconnect) makes this a no-op: the
    /// broker redelivers the message, and the database fence sorts it out.
    pub async fn settle(&self, lane: &Arc<Lane>, info: DeliveryInfo, how: Settle) {
        if lane.epoch != self.epoch.load(Ordering::SeqCst) {
            return;
        }
        let guard = lane.receiver.lock().await;
        let Some(receiver) = guard.as_ref() else {
            return;
        };
        let r = match &how {
            Settle::Complete => receiver.accept(info).await,
            // `released`: RabbitMQ 3.10 ends the session on any `modified` disposition;
            // Service Bus counts every peek-lock delivery anyway (max delivery count).
            Settle::Abandon => receiver.release(info).await,
            Settle::DeadLetter {
                reason,
                description,
            } => {
                let mut fields = Fields::default();
                fields.insert(
                    Symbol::from("DeadLetterReason"),
                    Value::from(reason.as_str()),
                );
                fields.insert(
                    Symbol::from("DeadLetterErrorDescription"),
                    Value::from(truncate(description, 1024)),
                );
                let error = definitions::Error::new(
                    ErrorCondition::Custom(Symbol::from(DEAD_LETTER)),
                    Some(truncate(description, 1024)),
                    Some(fields),
                );
                receiver.reject(info, error).await
            }
        };
        drop(guard);
        lane.unsettled
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .ok();
        if let Err(e) = r {
            tracing::warn!(error = %e, settle = ?how, "cannot settle a job message");
        }
    }

    /// Closes the connection (graceful stop: unsettled messages go back to the queue).
    pub async fn close(&self) {
        let epoch = self.epoch.load(Ordering::SeqCst);
        let lanes: Vec<Arc<Lane>> = match self.lanes.lock() {
            Ok(l) => l.values().flatten().cloned().collect(),
            Err(_) => Vec::new(),
        };
        for lane in lanes {
            if let Some(r) = lane.receiver.lock().await.take() {
                let _ = r.close().await;
            }
        }
        let mut conn = self.conn.lock().await;
        if let Some(mut c) = conn.take() {
            for (_, s) in c.senders.drain() {
                let _ = s.close().await;
            }
            let _ = c.session.end().await;
            let _ = c._connection.close().await;
        }
        drop(conn);
        self.reset(epoch).await;
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// A JSON message (`content-type: application/json`) with its own message id, e.g. one
/// batch of analytics events.
pub fn json_message(message_id: &str, subject: &str, body: Vec<u8>) -> Message<Data> {
    let properties = Properties::builder()
        .message_id(MessageId::String(message_id.to_string()))
        .subject(subject.to_string())
        .content_type(Symbol::from("application/json"))
        .build();
    Message::builder()
        .properties(properties)
        .data(Data(Binary::from(body)))
        .build()
}

/// The message of a job: its id (application property and message id), its trip as
/// session id, and its not-before instant both as the Service Bus annotation and as our
/// own property.
pub fn job_message(
    id: Uuid,
    kind: &str,
    subject: Option<&str>,
    sequence: i64,
    not_before: Option<i64>,
) -> Message<Data> {
    let session = subject
        .map(str::to_string)
        .unwrap_or_else(|| id.to_string());
    let properties = Properties::builder()
        // Unique per send so Service Bus duplicate detection never drops a retry.
        .message_id(MessageId::String(format!("{id}/{sequence}")))
        .group_id(session)
        .subject(kind.to_string())
        .content_type(Symbol::from("application/json"))
        .build();
    let mut app = ApplicationProperties::builder().insert(JOB_ID, id.to_string());
    let mut annotations = None;
    if let Some(at) = not_before {
        app = app.insert(NOT_BEFORE, at);
        annotations = Some(
            MessageAnnotations::builder()
                .insert(
                    Symbol::from(SCHEDULED_ENQUEUE_TIME),
                    Timestamp::from_milliseconds(at),
                )
                .build(),
        );
    }
    let body = serde_json::json!({ "jobId": id, "kind": kind }).to_string();
    Message::builder()
        .properties(properties)
        .application_properties(app.build())
        .message_annotations(annotations)
        .data(Data(Binary::from(body.into_bytes())))
        .build()
}

async fn tls(
    tcp: tokio::net::TcpStream,
    host: &str,
) -> Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>, BrokerError> {
    use tokio_rustls::rustls;
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| BrokerError::of("TLS", e))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| BrokerError::of("TLS server name", e))?;
    tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| BrokerError::of("TLS handshake", e))
}
