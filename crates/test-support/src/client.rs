//! Calls to the app under test, each with an optional bearer token.

use reqwest::{Client, RequestBuilder, Response};
use serde_json::Value;

/// The app's base URL and the client that calls it.
pub struct Api {
    /// `http://127.0.0.1:<port>` of the running server.
    pub base: String,
    pub http: Client,
}

impl Api {
    pub fn new(base: String, http: Client) -> Api {
        Api { base, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        send(self.http.get(self.url(path)), token).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        send(self.http.delete(self.url(path)), token).await
    }

    pub async fn post(&self, path: &str, body: Value, token: Option<&str>) -> Response {
        send(self.http.post(self.url(path)).json(&body), token).await
    }

    pub async fn put(&self, path: &str, body: Value, token: Option<&str>) -> Response {
        send(self.http.put(self.url(path)).json(&body), token).await
    }
}

async fn send(request: RequestBuilder, token: Option<&str>) -> Response {
    let request = match token {
        Some(t) => request.bearer_auth(t),
        None => request,
    };
    request.send().await.expect("request")
}
