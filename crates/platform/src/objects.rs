//! Object storage as a port over the `object_store` crate: a local directory by default;
//! the same crate family speaks Azure Blob and S3 for production.

use std::sync::Arc;

use bytes::Bytes;
use object_store::ObjectStore;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;

#[derive(Clone)]
pub struct ObjectStorage {
    store: Arc<dyn ObjectStore>,
}

impl ObjectStorage {
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create object dir {}: {e}", dir.display()))?;
        let fs = LocalFileSystem::new_with_prefix(dir)?;
        Ok(ObjectStorage {
            store: Arc::new(fs),
        })
    }

    pub fn from_store(store: Arc<dyn ObjectStore>) -> Self {
        ObjectStorage { store }
    }

    pub async fn put(&self, key: &str, data: Bytes) -> anyhow::Result<()> {
        let path = ObjectPath::parse(key)?;
        self.store.put(&path, data.into()).await?;
        Ok(())
    }

    /// `None` when there is no such object.
    pub async fn get(&self, key: &str) -> anyhow::Result<Option<Bytes>> {
        let path = ObjectPath::parse(key)?;
        match self.store.get(&path).await {
            Ok(r) => Ok(Some(r.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        let path = ObjectPath::parse(key)?;
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[tokio::test]
    async fn local_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let s = ObjectStorage::local(dir.path()).unwrap();
        s.put("avatars/a/b.jpg", Bytes::from_static(b"x"))
            .await
            .unwrap();
        assert_eq!(
            s.get("avatars/a/b.jpg").await.unwrap().unwrap(),
            Bytes::from_static(b"x")
        );
        s.delete("avatars/a/b.jpg").await.unwrap();
        assert!(s.get("avatars/a/b.jpg").await.unwrap().is_none());
    }
}
