//! Trips and their members: create, basic settings, update, delete (one, many), restore
//! (TRIP-020, 030, 110).

use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, Validator};
use uuid::Uuid;

use crate::app::input::{self};
use crate::app::travel_points::{self, Which};
use crate::app::views::{self};
use crate::domain::model::{TransportMode, TravelPoint, TripRecord, WireEnum};
use crate::domain::rules;
use crate::dto::*;
use crate::store::{NewTrip, TravelPoints};

use super::*;

impl TripService {
    // --- trips ---------------------------------------------------------------------------

    pub async fn detail(&self, who: &AuthUser, id: Uuid) -> ApiResult<TripDetail> {
        let r = self.owned(who, id).await?;
        Ok(views::detail(&r, self.now()))
    }

    pub async fn create(&self, who: &AuthUser, req: CreateTripRequest) -> ApiResult<TripDetail> {
        let mut v = Validator::new();
        let name = input::trip_name(&mut v, &req.trip_name);
        let transport = match &req.transport_mode {
            Some(_) => input::transport(&mut v, &req.transport_mode).map(Some),
            None => Some(None),
        };
        let members = match &req.members {
            Some(_) => input::members(&mut v, &req.members),
            None => Some(Vec::new()),
        };
        v.finish()?;
        let (Some(name), Some(transport), Some(mut members)) = (name, transport, members) else {
            return Err(ApiError::internal());
        };
        for m in &mut members {
            m.id = None;
        }
        let id = Uuid::now_v7();
        self.repo
            .insert_trip(
                NewTrip {
                    id,
                    owner_id: who.user_id,
                    name: &name,
                    transport_mode: transport.map(|t| t.as_str()),
                    now: self.now_ms(),
                },
                &members,
            )
            .await?;
        self.invalidate(id, who.user_id).await;
        self.fresh_detail(id, who.user_id).await
    }

    pub async fn update(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: UpdateTripRequest,
    ) -> ApiResult<TripDetail> {
        let r = self.owned(who, id).await?;
        let mut v = Validator::new();
        let name = match &req.trip_name {
            Some(_) => input::trip_name(&mut v, &req.trip_name),
            None => Some(r.name.clone()),
        };
        let transport = match &req.transport_mode {
            Some(_) => input::transport(&mut v, &req.transport_mode).map(Some),
            None => Some(r.transport_mode),
        };
        let start = match &req.start_date {
            Some(_) => input::date(&mut v, "startDate", &req.start_date).map(Some),
            None => Some(None),
        };
        let mut suggestions = serde_json::Map::new();
        let arrival = self
            .point_update(
                &mut v,
                &mut suggestions,
                &r,
                Which::Arrival,
                &req.arrival,
                transport,
            )
            .await?;
        let departure = self
            .point_update(
                &mut v,
                &mut suggestions,
                &r,
                Which::Departure,
                &req.departure,
                transport,
            )
            .await?;
        Self::finish_with_suggestions(v, suggestions)?;
        let (Some(name), Some(transport), Some(start)) = (name, transport, start) else {
            return Err(ApiError::internal());
        };
        if let Some(start) = start
            && Some(start) != r.start_date
        {
            self.store_destinations(&r, start, r.destinations.clone(), None, "startDate")
                .await?;
        }
        let arrival = arrival.unwrap_or_else(|| r.arrival.clone());
        let departure = departure.unwrap_or_else(|| r.departure.clone());
        if arrival != r.arrival || departure != r.departure {
            let points = TravelPoints {
                arrival: arrival.as_ref(),
                departure: departure.as_ref(),
            };
            self.repo
                .set_travel_points(id, points, self.now_ms(), true)
                .await?;
        }
        let now = self.now_ms();
        self.repo
            .update_basics(
                id,
                &name,
                transport.map(|t| t.as_str()),
                now,
                transport != r.transport_mode,
            )
            .await?;
        self.invalidate(id, r.owner_id).await;
        self.fresh_detail(id, r.owner_id).await
    }

    /// A point of `PUT /trips/{id}`: `None` keep it, `Some(None)` remove it (or it did not
    /// resolve: `v` says why), `Some(Some(p))` the new one. Near the first city for the
    /// arrival, the last for the departure.
    async fn point_update(
        &self,
        v: &mut Validator,
        suggestions: &mut serde_json::Map<String, serde_json::Value>,
        r: &TripRecord,
        which: Which,
        req: &Option<Option<TravelPointRequest>>,
        transport: Option<Option<TransportMode>>,
    ) -> ApiResult<Option<Option<TravelPoint>>> {
        let Some(req) = req else {
            return Ok(None);
        };
        let Some(req) = req else {
            return Ok(Some(None));
        };
        let dest = match which {
            Which::Arrival => r.destinations.first(),
            Which::Departure => r.destinations.last(),
        };
        let draft = travel_points::draft(v, which, req);
        let Some(dest) = dest else {
            v.add(
                which.field(),
                "DESTINATIONS_REQUIRED",
                "Add the destinations first: the point is looked up near the first (arrival) or last (departure) city.",
            );
            return Ok(Some(None));
        };
        let Some(draft) = draft else {
            return Ok(Some(None));
        };
        let transport = transport.unwrap_or(r.transport_mode);
        self.resolve_point(v, suggestions, which, draft, dest, transport)
            .await
            .map(Some)
    }

    /// TRIP-030: name, transport and the whole member list at once.
    pub async fn basic_info(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: BasicInfoRequest,
    ) -> ApiResult<TripDetail> {
        let r = self.owned(who, id).await?;
        let mut v = Validator::new();
        let name = input::trip_name(&mut v, &req.trip_name);
        let transport = input::transport(&mut v, &req.transport_mode);
        let members = input::members(&mut v, &req.members);
        v.finish()?;
        let (Some(name), Some(transport), Some(mut members)) = (name, transport, members) else {
            return Err(ApiError::internal());
        };
        // Ids of this trip's members are kept; anything else becomes a new member.
        let mut seen = Vec::new();
        for m in &mut members {
            m.id =
                m.id.filter(|id| r.members.iter().any(|x| x.id == *id) && !seen.contains(id));
            if let Some(id) = m.id {
                seen.push(id);
            }
        }
        let outdated = Some(transport) != r.transport_mode
            || plan_inputs(&members) != plan_inputs(&record_members(&r));
        let now = self.now_ms();
        self.repo
            .update_basics(id, &name, Some(transport.as_str()), now, outdated)
            .await?;
        self.repo
            .replace_members(id, &members, now, outdated)
            .await?;
        self.invalidate(id, r.owner_id).await;
        self.fresh_detail(id, r.owner_id).await
    }

    /// Soft delete: restorable for 30 days, then purged.
    pub async fn delete(&self, who: &AuthUser, id: Uuid) -> ApiResult<()> {
        let r = self.owned(who, id).await?;
        let now = self.now_ms();
        self.repo.soft_delete(r.owner_id, &[id], now).await?;
        self.purge(who.user_id, now).await;
        self.invalidate_all(id, r.owner_id).await;
        Ok(())
    }

    pub(crate) async fn purge(&self, owner: Uuid, now: i64) {
        let before = now - RESTORE_DAYS * 86_400_000;
        if let Err(e) = self.repo.purge(owner, before).await {
            tracing::warn!(error = %e, "purging expired deleted trips failed");
        }
    }

    pub async fn delete_many(
        &self,
        who: &AuthUser,
        req: DeleteTripsRequest,
    ) -> ApiResult<DeleteTripsResponse> {
        let ids = match req.ids {
            None => {
                return Err(ApiError::field(
                    "ids",
                    "REQUIRED",
                    "Choose the trips to delete.",
                ));
            }
            Some(ids) if ids.is_empty() => {
                return Err(ApiError::field(
                    "ids",
                    "TOO_FEW",
                    "Choose the trips to delete.",
                ));
            }
            Some(ids) if ids.len() > DELETE_MANY_MAX => {
                return Err(ApiError::field(
                    "ids",
                    "TOO_MANY",
                    format!("Delete at most {DELETE_MANY_MAX} trips at once."),
                ));
            }
            Some(ids) => {
                let mut unique = Vec::with_capacity(ids.len());
                for id in ids {
                    if !unique.contains(&id) {
                        unique.push(id);
                    }
                }
                unique
            }
        };
        let now = self.now_ms();
        let deleted = self.repo.soft_delete(who.user_id, &ids, now).await?;
        self.purge(who.user_id, now).await;
        for id in &deleted {
            self.invalidate_all(*id, who.user_id).await;
        }
        let not_found = ids.into_iter().filter(|i| !deleted.contains(i)).collect();
        Ok(DeleteTripsResponse { deleted, not_found })
    }

    pub async fn restore(&self, who: &AuthUser, id: Uuid) -> ApiResult<TripDetail> {
        let now = self.now_ms();
        let since = now - RESTORE_DAYS * 86_400_000;
        if !self.repo.restore(who.user_id, id, since, now).await? {
            return Err(ApiError::not_found(
                "TRIP_NOT_FOUND",
                "There is no deleted trip of yours to restore here (trips can be restored for 30 days).",
            ));
        }
        self.invalidate_all(id, who.user_id).await;
        self.fresh_detail(id, who.user_id).await
    }

    // --- members -------------------------------------------------------------------------

    pub async fn members(&self, who: &AuthUser, id: Uuid) -> ApiResult<Vec<MemberView>> {
        let r = self.owned(who, id).await?;
        Ok(r.members.iter().map(views::member_view).collect())
    }

    pub async fn member(&self, who: &AuthUser, id: Uuid, mid: Uuid) -> ApiResult<MemberView> {
        let r = self.owned(who, id).await?;
        r.members
            .iter()
            .find(|m| m.id == mid)
            .map(views::member_view)
            .ok_or_else(member_not_found)
    }

    pub async fn add_member(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: MemberRequest,
    ) -> ApiResult<MemberView> {
        let r = self.owned(who, id).await?;
        let mut v = Validator::new();
        let m = input::member(&mut v, "", &req);
        v.finish()?;
        let m = m.ok_or_else(ApiError::internal)?;
        let mid = Uuid::now_v7();
        let added = self
            .repo
            .add_member(id, mid, &m, rules::MEMBERS_MAX as i64, self.now_ms(), true)
            .await?;
        if !added {
            return Err(ApiError::field(
                "members",
                "TOO_MANY",
                format!("A trip has at most {} members.", rules::MEMBERS_MAX),
            ));
        }
        self.invalidate(id, r.owner_id).await;
        self.member(who, id, mid).await
    }

    pub async fn update_member(
        &self,
        who: &AuthUser,
        id: Uuid,
        mid: Uuid,
        req: MemberRequest,
    ) -> ApiResult<MemberView> {
        let r = self.owned(who, id).await?;
        let old = r
            .members
            .iter()
            .find(|m| m.id == mid)
            .ok_or_else(member_not_found)?;
        let mut v = Validator::new();
        let m = input::member(&mut v, "", &req);
        v.finish()?;
        let m = m.ok_or_else(ApiError::internal)?;
        let outdated = old.health_status != m.health_status
            || old.age != m.age
            || old.preferences != m.preferences;
        if !self
            .repo
            .update_member(id, mid, &m, self.now_ms(), outdated)
            .await?
        {
            return Err(member_not_found());
        }
        self.invalidate(id, r.owner_id).await;
        self.member(who, id, mid).await
    }

    pub async fn delete_member(&self, who: &AuthUser, id: Uuid, mid: Uuid) -> ApiResult<()> {
        let r = self.owned(who, id).await?;
        match self
            .repo
            .delete_member(id, mid, self.now_ms(), true)
            .await?
        {
            None => Err(member_not_found()),
            Some(false) => Err(ApiError::field(
                "members",
                "TOO_FEW",
                "A trip keeps at least one member; add another before removing this one.",
            )),
            Some(true) => {
                self.invalidate(id, r.owner_id).await;
                Ok(())
            }
        }
    }
}

pub(crate) fn member_not_found() -> ApiError {
    ApiError::not_found("MEMBER_NOT_FOUND", "This trip has no such member.")
}
