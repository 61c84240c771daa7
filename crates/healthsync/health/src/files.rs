//! Checkup files (HS-HEALTH-050): PDF, JPEG or PNG by content sniffing, ≤ 10 MB, ≤ 20 per
//! user, stored under a random key; listed, downloaded and deleted by the owner only. Files
//! are kept as records, never read for values.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tripgen_platform::objects::ObjectStorage;
use tripgen_platform::{Db, with_db};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::repo::{instant, now_ms};

pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_FILES_PER_USER: i64 = 20;

/// The content type of a document by its first bytes; `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// A file name as given, without path parts or control characters, at most 200 chars.
pub fn clean_name(name: Option<&str>, content_type: &str) -> String {
    let base = name
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n))
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect::<String>()
        })
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    base.unwrap_or_else(|| {
        let ext = match content_type {
            "application/pdf" => "pdf",
            "image/png" => "png",
            _ => "jpg",
        };
        format!("checkup.{ext}")
    })
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct CheckupFile {
    pub file_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Debug, sqlx::FromRow)]
struct FileRow {
    id: Uuid,
    object_key: String,
    file_name: String,
    content_type: String,
    size: i64,
    uploaded_at: i64,
}

impl FileRow {
    fn dto(&self) -> CheckupFile {
        CheckupFile {
            file_id: self.id,
            file_name: self.file_name.clone(),
            content_type: self.content_type.clone(),
            size_bytes: self.size,
            uploaded_at: instant(self.uploaded_at),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("only PDF, JPEG or PNG documents are accepted")]
    UnsupportedType,
    #[error("a checkup file is at most 10 MB")]
    TooLarge,
    #[error("at most 20 checkup files per user")]
    Limit,
    #[error("no such file")]
    NotFound,
    #[error(transparent)]
    Store(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub struct CheckupFiles {
    pub db: Db,
    pub objects: ObjectStorage,
}

const COLS: &str = "id, object_key, file_name, content_type, size, uploaded_at";

impl CheckupFiles {
    pub async fn upload(
        &self,
        user_id: Uuid,
        name: Option<&str>,
        bytes: Bytes,
        now: DateTime<Utc>,
    ) -> Result<CheckupFile, FileError> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(FileError::TooLarge);
        }
        let content_type = sniff(&bytes).ok_or(FileError::UnsupportedType)?;
        let count: i64 = with_db!(&self.db, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM checkup_files WHERE user_id = $1"
        )
        .bind(user_id)
        .fetch_one(pool)
        .await)?;
        if count >= MAX_FILES_PER_USER {
            return Err(FileError::Limit);
        }
        let id = Uuid::now_v7();
        // Random, unguessable, not derived from the name.
        let key = format!(
            "checkup-files/{}/{}",
            user_id.simple(),
            Uuid::new_v4().simple()
        );
        let sha = Sha256::digest(&bytes);
        let sha: String = sha.iter().map(|b| format!("{b:02x}")).collect();
        let size = i64::try_from(bytes.len()).map_err(anyhow::Error::from)?;
        let row = FileRow {
            id,
            object_key: key.clone(),
            file_name: clean_name(name, content_type),
            content_type: content_type.into(),
            size,
            uploaded_at: now_ms(now),
        };
        self.objects.put(&key, bytes).await?;
        let insert = "INSERT INTO checkup_files (id, user_id, object_key, file_name, content_type, size, \
                      sha256, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        let stored = with_db!(&self.db, |pool| sqlx::query(insert)
            .bind(row.id)
            .bind(user_id)
            .bind(&row.object_key)
            .bind(&row.file_name)
            .bind(&row.content_type)
            .bind(row.size)
            .bind(&sha)
            .bind(row.uploaded_at)
            .execute(pool)
            .await
            .map(|_| ()));
        if let Err(e) = stored {
            // No orphan object when the record cannot be written.
            let _ = self.objects.delete(&key).await;
            return Err(e.into());
        }
        Ok(row.dto())
    }

    pub async fn list(&self, user_id: Uuid) -> Result<Vec<CheckupFile>, FileError> {
        let sql = format!(
            "SELECT {COLS} FROM checkup_files WHERE user_id = $1 ORDER BY uploaded_at DESC, id DESC"
        );
        let rows: Vec<FileRow> = with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows.iter().map(FileRow::dto).collect())
    }

    async fn row(&self, user_id: Uuid, file_id: Uuid) -> Result<FileRow, FileError> {
        let sql = format!("SELECT {COLS} FROM checkup_files WHERE user_id = $1 AND id = $2");
        let row: Option<FileRow> = with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .bind(file_id)
            .fetch_optional(pool)
            .await)?;
        row.ok_or(FileError::NotFound)
    }

    /// The file's record and bytes, for its owner only.
    pub async fn download(
        &self,
        user_id: Uuid,
        file_id: Uuid,
    ) -> Result<(CheckupFile, Bytes), FileError> {
        let row = self.row(user_id, file_id).await?;
        let bytes = self
            .objects
            .get(&row.object_key)
            .await?
            .ok_or(FileError::NotFound)?;
        Ok((row.dto(), bytes))
    }

    pub async fn delete(&self, user_id: Uuid, file_id: Uuid) -> Result<(), FileError> {
        let row = self.row(user_id, file_id).await?;
        with_db!(&self.db, |pool| sqlx::query(
            "DELETE FROM checkup_files WHERE id = $1 AND user_id = $2"
        )
        .bind(file_id)
        .bind(user_id)
        .execute(pool)
        .await
        .map(|_| ()))?;
        self.objects.delete(&row.object_key).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"<html>%PDF-"), None);
    }

    #[test]
    fn names_lose_paths_and_control_chars() {
        assert_eq!(
            clean_name(Some("../../etc/passwd"), "application/pdf"),
            "passwd"
        );
        assert_eq!(
            clean_name(Some("C:\\scan\\검진.pdf"), "application/pdf"),
            "검진.pdf"
        );
        assert_eq!(clean_name(Some("a\u{0}b.png"), "image/png"), "ab.png");
        assert_eq!(clean_name(None, "image/png"), "checkup.png");
        assert_eq!(clean_name(Some("  "), "image/jpeg"), "checkup.jpg");
    }
}
