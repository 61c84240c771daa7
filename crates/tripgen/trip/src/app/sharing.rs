//! Read-only share links (TRIP-100): creating and revoking them, and what a link opens
//! (the trip without member details, its schedule and its map) — without signing in. A
//! link may expire (`expiresAt`): then it answers 410 `SHARE_EXPIRED`.

use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
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

fn share_expired() -> ApiError {
    ApiError::new(
        StatusCode::GONE,
        "SHARE_EXPIRED",
        "This share link has expired; ask the trip's owner for a new one.",
    )
}

/// The longest a link may be made to live: a year and a day (a trip booked a year ahead).
const MAX_SHARE_DAYS: i64 = 366;

fn millis_to_time(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

impl TripService {
    /// `GET /{id}/share`: the trip's current link, unchanged (404 `SHARE_NOT_FOUND` if none
    /// or expired).
    pub async fn current_share(&self, who: &AuthUser, id: Uuid) -> ApiResult<ShareResponse> {
        self.owned(who, id).await?;
        let (token, created, expires) = self
            .repo
            .current_share(id, self.now_ms())
            .await?
            .ok_or_else(share_not_found)?;
        Ok(ShareResponse {
            path: format!("/api/v1/trips/shared/{token}"),
            token,
            created_at: millis_to_time(created).unwrap_or_else(|| self.now()),
            expires_at: expires.and_then(millis_to_time),
        })
    }

    /// `POST /{id}/share`: a new read-only link (rotation: earlier links stop working),
    /// optionally expiring at `expiresAt`.
    pub async fn share(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: ShareRequest,
    ) -> ApiResult<ShareResponse> {
        let now = self.now();
        if let Some(at) = req.expires_at {
            let latest = now
                .checked_add_signed(TimeDelta::days(MAX_SHARE_DAYS))
                .unwrap_or(now);
            if at <= now || at > latest {
                return Err(ApiError::field(
                    "expiresAt",
                    "OUT_OF_RANGE",
                    format!("A link expires after now and within {MAX_SHARE_DAYS} days."),
                ));
            }
        }
        let r = self.owned(who, id).await?;
        let token = random_token();
        self.repo
            .create_share(
                id,
                &token,
                &sha256_hex(&token),
                now.timestamp_millis(),
                req.expires_at.map(|t| t.timestamp_millis()),
            )
            .await?;
        self.invalidate(id, r.owner_id).await;
        Ok(ShareResponse {
            path: format!("/api/v1/trips/shared/{token}"),
            token,
            created_at: now,
            // As stored (ms), so the answer equals what `GET /{id}/share` shows later.
            expires_at: req
                .expires_at
                .and_then(|t| millis_to_time(t.timestamp_millis())),
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
        let (trip, expires) = self
            .repo
            .shared_trip(&sha256_hex(token))
            .await?
            .ok_or_else(share_not_found)?;
        if expires.is_some_and(|at| at <= self.now_ms()) {
            return Err(share_expired());
        }
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
