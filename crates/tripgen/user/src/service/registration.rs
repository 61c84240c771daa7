//! USER-010: sign-up and the availability checks the sign-up form asks while typing.

use tripgen_platform::error::{ApiError, ApiResult, Validator};
use tripgen_platform::telemetry::mask_name;
use uuid::Uuid;

use super::{UserService, conflict_field, text};
use crate::domain::{password_policy, rules};
use crate::dto::*;
use crate::repo::{InsertOutcome, NewUser};

impl UserService {
    // --- USER-010 -------------------------------------------------------------------

    pub async fn register(&self, req: RegisterRequest, ip: Option<&str>) -> ApiResult<Profile> {
        let mut v = Validator::new();
        if let Err((c, m)) = rules::check_name(text(&req.name)) {
            v.add("name", c, m);
        }
        let email = rules::normalize_email(text(&req.email))
            .map_err(|(c, m)| v.add("email", c, m))
            .ok();
        let phone = rules::normalize_phone(text(&req.phone))
            .map_err(|(c, m)| v.add("phone", c, m))
            .ok();
        let username = text(&req.username).trim().to_string();
        if let Err((c, m)) = rules::check_username(&username) {
            v.add("username", c, m);
        }
        let password = text(&req.password).to_string();
        for (c, m) in password_policy::violations(&password) {
            v.add("password", c, m);
        }
        if req.password_confirm.as_deref() != Some(password.as_str()) {
            v.add(
                "passwordConfirm",
                "MISMATCH",
                "The confirmation does not match the password.",
            );
        }
        if req.terms_accepted != Some(true) {
            v.add("termsAccepted", "REQUIRED", "Accept the terms to continue.");
        }
        // Duplicates are reported with the other field errors when we can tell early.
        if !v.has("username") && self.repo.username_exists(&username).await? {
            v.add("username", "TAKEN", "This username is already taken.");
        }
        if let Some(e) = &email
            && self.repo.email_exists(e).await?
        {
            v.add(
                "email",
                "TAKEN",
                "This e-mail address is already registered.",
            );
        }
        // Only duplicates left: that is a conflict (409), not invalid input (422).
        if v.all_have_code("TAKEN") {
            let mut err = ApiError::conflict(
                "ALREADY_EXISTS",
                "An account with these details already exists.",
            );
            err.errors = v.into_errors();
            return Err(err);
        }
        v.finish()?;
        let (Some(email), Some(phone)) = (email, phone) else {
            return Err(ApiError::internal());
        };
        let hash = self.hasher.hash(password).await?;
        let now = self.now();
        let id = Uuid::now_v7();
        let name = text(&req.name).trim().to_string();
        let phone_enc = self.platform.cipher.encrypt(&phone);
        let outcome = self
            .repo
            .insert(NewUser {
                id,
                username: &username,
                name: &name,
                email: &email,
                phone_enc: &phone_enc,
                password_hash: &hash,
                now,
            })
            .await?;
        match outcome {
            InsertOutcome::Inserted => {}
            InsertOutcome::UsernameTaken => {
                return Err(conflict_field(
                    "username",
                    "This username is already taken.",
                ));
            }
            InsertOutcome::EmailTaken => {
                return Err(conflict_field(
                    "email",
                    "This e-mail address is already registered.",
                ));
            }
        }
        self.repo
            .audit(Some(id), "user.registered", ip, "", now)
            .await;
        tracing::info!(user = %mask_name(&username), "account created");
        let row = self.repo.by_id(id).await?.ok_or_else(ApiError::internal)?;
        Ok(self.profile_of(&row, None))
    }

    pub async fn username_availability(&self, username: &str) -> ApiResult<Availability> {
        if let Err((_, m)) = rules::check_username(username) {
            return Ok(Availability {
                available: false,
                message: m.into(),
            });
        }
        let taken = self.repo.username_exists(username).await?;
        Ok(Availability {
            available: !taken,
            message: if taken {
                "This username is already taken."
            } else {
                "This username is available."
            }
            .into(),
        })
    }

    pub async fn email_availability(&self, email: &str) -> ApiResult<Availability> {
        let email = match rules::normalize_email(email) {
            Ok(e) => e,
            Err((_, m)) => {
                return Ok(Availability {
                    available: false,
                    message: m.into(),
                });
            }
        };
        let taken = self.repo.email_exists(&email).await?;
        Ok(Availability {
            available: !taken,
            message: if taken {
                "This e-mail address is already registered."
            } else {
                "This e-mail address is available."
            }
            .into(),
        })
    }

    pub fn password_check(&self, req: &PasswordCheckRequest) -> PasswordCheck {
        let pw = text(&req.password);
        let errors = password_policy::violations(pw)
            .into_iter()
            .map(|(c, m)| tripgen_platform::FieldError::new("password", c, m))
            .collect::<Vec<_>>();
        PasswordCheck {
            strength: password_policy::strength(pw, req.username.as_deref()),
            valid: errors.is_empty(),
            errors,
        }
    }
}
