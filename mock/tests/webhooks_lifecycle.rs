//! Webhook deliveries end with the server: stopping it cancels pending retries.

mod common;

use std::time::Duration;

use common::receiver::Receiver;
use common::{base_config, start_with};
use klipy_mock::WebhookUrl;
use serde_json::json;

#[tokio::test]
async fn shutting_the_server_down_cancels_pending_retries() {
    let receiver = Receiver::start().await;
    receiver.answer(&[500; 8]);
    // 5 s x 0.2 = 1 s before the second attempt.
    let url = WebhookUrl::parse(&receiver.url()).unwrap();
    let h = start_with(base_config().with_webhook_url(url).with_webhook_retry_scale(0.2)).await;
    let r = h.control("POST", "/__mock/webhooks/emit", Some(json!({"type": "deal.moved"}))).await;
    assert_eq!(r.status, 202, "{}", r.text);
    receiver.wait_for(1, Duration::from_secs(10)).await;
    h.server.shutdown().await;
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(receiver.received().len(), 1, "no retry after shutdown");
}
