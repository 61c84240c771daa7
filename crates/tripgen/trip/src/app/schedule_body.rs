//! The whole-schedule read as stored bytes (issue 29): `GET /{id}/schedules` is the hottest
//! read and its answer only changes when the schedule, the trip or a regeneration count
//! does, so it is rendered, serialised and gzip-compressed once per version and language
//! and then sent as it is (`trip:schedule-body:{id}:{lang}` in the trip cache: memory in
//! the embedded default, Redis in production).
//!
//! Freshness: every write that changes the schedule or the trip deletes the entry
//! ([`TripService::invalidate`], [`TripService::invalidate_all`]). As a second guard the
//! entry names the inputs it was rendered from (the trip's change stamp, schedule and
//! generation state, completed regenerations per day) and is used only when they still
//! hold, so a regeneration counted after the invalidation (the job is marked completed
//! after its days are saved) cannot leave a stale `regenerationsLeft` behind.

use bytes::Bytes;
use tripgen_platform::AuthUser;
use tripgen_platform::cache::Freshness;
use tripgen_platform::conditional::StoredBody;
use tripgen_platform::error::ApiResult;
use tripgen_platform::i18n::Language;
use uuid::Uuid;

use crate::app::generation::Regenerations;
use crate::app::{SCHEDULE_TTL, TripService, localize};
use crate::domain::model::TripRecord;

pub(crate) fn key_schedule_body(id: Uuid, lang: Language) -> String {
    format!("trip:schedule-body:{id}:{}", lang.code())
}

/// What the stored body was rendered from, besides the day plans (whose writes delete it).
fn inputs(r: &TripRecord, regenerations: &Regenerations) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}",
        r.updated_at,
        r.schedule_state.as_str(),
        r.schedule_days,
        r.generation_state.as_str(),
        r.generation_request_id.as_deref().unwrap_or(""),
        r.generated_at.unwrap_or(0),
        regenerations.fingerprint()
    )
}

fn encode(inputs: &str, body: &StoredBody) -> Bytes {
    let body = body.encode();
    let mut out = Vec::with_capacity(inputs.len() + 1 + body.len());
    out.extend_from_slice(inputs.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&body);
    out.into()
}

fn decode(frame: &Bytes, expected_inputs: &str) -> Option<StoredBody> {
    let nl = frame.iter().position(|&b| b == b'\n')?;
    (&frame[..nl] == expected_inputs.as_bytes())
        .then(|| StoredBody::decode(&frame.slice(nl + 1..)))
        .flatten()
}

impl TripService {
    /// `GET /{id}/schedules` (every day) as a stored body, rendered on a miss.
    pub async fn schedule_body(
        &self,
        who: &AuthUser,
        id: Uuid,
        lang: Language,
    ) -> ApiResult<StoredBody> {
        let r = self.owned(who, id).await?;
        let regenerations = self.regenerations(id).await?;
        let key = key_schedule_body(id, lang);
        let expected = inputs(&r, &regenerations);
        if let Some(frame) = self.cache.get_raw(&key, Freshness::Strict).await
            && let Some(body) = decode(&frame, &expected)
        {
            return Ok(body);
        }
        let days = self.current_days(id).await?;
        let view = self.render_schedule(&r, days, None, &regenerations)?;
        let body = StoredBody::of(&localize::schedule(view, lang))?;
        self.cache
            .put_raw(
                &key,
                encode(&expected, &body),
                SCHEDULE_TTL,
                Freshness::Strict,
            )
            .await;
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_is_used_only_for_the_inputs_it_was_made_from() {
        let body = StoredBody::of(&serde_json::json!({"days": []})).unwrap();
        let frame = encode("1|generated|4", &body);
        assert_eq!(decode(&frame, "1|generated|4"), Some(body));
        assert_eq!(decode(&frame, "2|generated|4"), None);
        assert_eq!(decode(&Bytes::from_static(b"no newline"), "x"), None);
    }
}
