//! Production's analytics stream: an AMQP 1.0 producer to Azure Event Hubs (spec §9:
//! `healthsync-analytics`, batched, best effort). Event Hubs speaks AMQP 1.0 natively,
//! so the platform's broker connection (fe2o3-amqp, the one the Service Bus job backend
//! uses: SASL PLAIN with a shared-access policy, TLS on `amqps://`) sends to the hub's
//! address; the tests send to RabbitMQ's AMQP 1.0 plugin. Each batch is one message whose
//! body is a JSON array of events (`content-type: application/json`), which Event Hubs
//! consumers (Stream Analytics, Capture, Fabric) read as one event per element.

use async_trait::async_trait;
use tripgen_platform::jobs::ServiceBusConfig;
use tripgen_platform::jobs::broker::{Broker, json_message};
use uuid::Uuid;

use super::config::EventHubConfig;
use super::{AnalyticsEvent, AnalyticsSink};

pub struct EventHubProducer {
    broker: Broker,
    address: String,
}

impl EventHubProducer {
    /// No connection yet: the first batch opens it (and a failed one reopens it).
    pub fn new(config: &EventHubConfig) -> anyhow::Result<EventHubProducer> {
        let broker = Broker::new(ServiceBusConfig {
            url: config.url.clone(),
            ..ServiceBusConfig::default()
        })
        .map_err(|e| anyhow::anyhow!("analytics.eventhub.url: {e}"))?;
        Ok(EventHubProducer {
            broker,
            address: config.address.clone(),
        })
    }

    pub async fn close(&self) {
        self.broker.close().await;
    }
}

#[async_trait]
impl AnalyticsSink for EventHubProducer {
    fn describe(&self) -> String {
        format!("AMQP 1.0 producer to `{}`", self.address)
    }

    async fn send(&self, batch: &[AnalyticsEvent]) -> anyhow::Result<()> {
        let body = serde_json::to_vec(batch)?;
        let id = Uuid::now_v7().to_string();
        self.broker
            .send(&self.address, json_message(&id, "analytics", body))
            .await?;
        Ok(())
    }
}
