//! Read-only share links (TRIP-100): creating and revoking them, and what a link opens
//! (the trip without member details, its schedule and its map) — without signing in.

use tripgen_platform::AuthUser;
use tripgen_platform::crypto::{random_token, sha256_hex};
use tripgen_platform::error::{ApiError, ApiResult};
use uuid::Uuid;

use crate::app::TripService;
use crate::app::views;
use crate::domain::model::TripRecord;
use crate::dto::*;

use super::schedules::parse_day;

pub(crate) fn share_not_found() -> ApiError {
    ApiError::not_found(
        "SHARE_NOT_FOUND",
        "This share link does not exist or was revoked.",
    )
}

impl TripService {
    /// `GET /{id}/share`: the trip's current link, unchanged (404 `SHARE_NOT_FOUND` if none).
    pub async fn current_share(&self, who: &AuthUser, id: Uuid) -> ApiResult<ShareResponse> {
        self.owned(who, id).await?;
        let (token, created) = self
            .repo
            .current_share(id)
            .await?
            .ok_or_else(share_not_found)?;
        Ok(ShareResponse {
            path: format!("/api/v1/trips/shared/{token}"),
            token,
            created_at: chrono::DateTime::from_timestamp_millis(created)
                .unwrap_or_else(|| self.now()),
        })
    }

    /// `POST /{id}/share`: a new read-only link (rotation: earlier links stop working).
    pub async fn share(&self, who: &AuthUser, id: Uuid) -> ApiResult<ShareResponse> {
        let r = self.owned(who, id).await?;
        let token = random_token();
        let now = self.now();
        self.repo
            .create_share(id, &token, &sha256_hex(&token), now.timestamp_millis())
            .await?;
        self.invalidate(id, r.owner_id).await;
        Ok(ShareResponse {
            path: format!("/api/v1/trips/shared/{token}"),
            token,
            created_at: now,
        })
    }

    /// `DELETE /{id}/share`: revokes the trip's links.
    pub async fn unshare(&self, who: &AuthUser, id: Uuid) -> ApiResult<()> {
        let r = self.owned(who, id).await?;
        self.repo.revoke_shares(id, self.now_ms()).await?;
        self.invalidate(id, r.owner_id).await;
        Ok(())
    }

    /// The trip a share link opens (404 `SHARE_NOT_FOUND` for unknown, revoked or deleted).
    pub(crate) async fn shared_record(&self, token: &str) -> ApiResult<TripRecord> {
        if token.len() > 128 {
            return Err(share_not_found());
        }
        let trip = self
            .repo
            .shared_trip(&sha256_hex(token))
            .await?
            .ok_or_else(share_not_found)?;
        match self.record(trip).await? {
            Some(r) if r.deleted_at.is_none() => Ok(r),
            _ => Err(share_not_found()),
        }
    }

    pub async fn shared_detail(&self, token: &str) -> ApiResult<SharedTripView> {
        let r = self.shared_record(token).await?;
        Ok(views::shared(&r, self.now()))
    }

    pub async fn shared_schedules(
        &self,
        token: &str,
        day: Option<&str>,
    ) -> ApiResult<ScheduleView> {
        let day = parse_day(day)?;
        let r = self.shared_record(token).await?;
        let days = self.current_days(r.id).await?;
        self.schedule_view(&r, days, day).await
    }

    pub async fn shared_route(
        &self,
        token: &str,
        day: Option<&str>,
    ) -> ApiResult<serde_json::Value> {
        let day = parse_day(day)?;
        let r = self.shared_record(token).await?;
        self.route_of(&r, day).await
    }
}
