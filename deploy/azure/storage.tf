# Blob Storage for uploaded files (HealthSync spec §9: Hot, GRS, private, managed identity):
# no public access, no shared keys, a private endpoint in the security subnet; the AKS
# kubelet identity mounts it through the Blob CSI driver (the only principal with data
# access besides the operators). Versioning and soft delete make a deleted or overwritten
# file recoverable for 30 days; GRS keeps a copy in the paired region.

resource "azurerm_storage_account" "files" {
  #checkov:skip=CKV2_AZURE_1:Microsoft-managed keys; a customer-managed key needs a Key Vault key lifecycle nobody operates yet (same as Service Bus).
  #checkov:skip=CKV_AZURE_33:Queue service is not used (blobs only), so there is no queue logging to enable.
  #checkov:skip=CKV_AZURE_206:Replication comes from var.blob_storage.replication (GRS in prod; LRS only for the throwaway dev account).
  count                             = var.blob_storage.enabled ? 1 : 0
  name                              = "st${local.compact}"
  location                          = azurerm_resource_group.main.location
  resource_group_name               = azurerm_resource_group.main.name
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  access_tier                       = "Hot"
  account_replication_type          = var.blob_storage.replication
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  allow_nested_items_to_be_public   = false
  shared_access_key_enabled         = false
  default_to_oauth_authentication   = true
  public_network_access_enabled     = false
  infrastructure_encryption_enabled = true
  tags                              = local.tags

  sas_policy {
    expiration_period = "01.00:00:00"
    expiration_action = "Log"
  }

  blob_properties {
    versioning_enabled = true
    delete_retention_policy {
      days = 30
    }
    container_delete_retention_policy {
      days = 30
    }
  }

  network_rules {
    default_action = "Deny"
    bypass         = ["AzureServices"]
    ip_rules       = var.management_ip_ranges
  }
}

resource "azurerm_storage_container" "files" {
  #checkov:skip=CKV2_AZURE_21:Blob read logging goes through the account's diagnostic setting (monitoring.tf), which the check does not follow.
  for_each              = var.blob_storage.enabled ? toset(var.blob_storage.containers) : toset([])
  name                  = each.key
  storage_account_id    = azurerm_storage_account.files[0].id
  container_access_type = "private"
}

resource "azurerm_private_endpoint" "blob" {
  count               = var.blob_storage.enabled ? 1 : 0
  name                = "pe-${local.base}-blob"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.security.id
  tags                = local.tags

  private_service_connection {
    name                           = "blob"
    private_connection_resource_id = azurerm_storage_account.files[0].id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "blob"
    private_dns_zone_ids = [azurerm_private_dns_zone.zones["blob"].id]
  }
}

# BlobFuse2 on the nodes authenticates as the kubelet identity (PersistentVolume attribute
# AzureStorageIdentityClientID = output kubelet_identity_client_id).
resource "azurerm_role_assignment" "kubelet_blob" {
  count                = var.blob_storage.enabled ? 1 : 0
  scope                = azurerm_storage_account.files[0].id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
}
