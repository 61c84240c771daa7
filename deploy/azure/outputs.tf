# What the Kubernetes overlays and the operators need (deploy/k8s/overlays/prod/azure.env,
# docs/operations.md).

output "resource_group" {
  value = azurerm_resource_group.main.name
}

output "aks_name" {
  value = azurerm_kubernetes_cluster.main.name
}

output "acr_login_server" {
  description = "Registry of the product's image (deploy/ci/set-image.sh)."
  value       = azurerm_container_registry.main.login_server
}

output "key_vault_name" {
  description = "azure.env KEY_VAULT_NAME"
  value       = azurerm_key_vault.main.name
}

output "tenant_id" {
  description = "azure.env TENANT_ID"
  value       = data.azurerm_client_config.current.tenant_id
}

output "workload_identity_client_id" {
  description = "azure.env WORKLOAD_IDENTITY_CLIENT_ID"
  value       = azurerm_user_assigned_identity.workload.client_id
}

output "kubernetes_namespace" {
  value = local.k8s_namespace
}

output "postgres_fqdn" {
  value = var.managed_data_services ? azurerm_postgresql_flexible_server.main[0].fqdn : null
}

output "postgres_replica_fqdns" {
  value = [for r in azurerm_postgresql_flexible_server.replica : r.fqdn]
}

output "redis_hostname" {
  value = var.managed_data_services ? azurerm_redis_cache.main[0].hostname : null
}

output "servicebus_namespace" {
  description = "Fully qualified namespace (AMQP) and the queues."
  value = {
    endpoint = "${azurerm_servicebus_namespace.main.name}.servicebus.windows.net"
    queues   = keys(azurerm_servicebus_queue.queues)
    # The app's URL (with its key) is the Key Vault secret <name>-jobs-servicebus-url.
    url_secret = "${var.name}-jobs-servicebus-url"
    sessions   = [for k, q in azurerm_servicebus_queue.queues : k if q.requires_session]
  }
}

output "application_insights_connection_string" {
  value     = azurerm_application_insights.main.connection_string
  sensitive = true
}

output "frontdoor_endpoint" {
  description = "Front Door host name; point the public host name's CNAME here."
  value       = var.edge ? azurerm_cdn_frontdoor_endpoint.main[0].host_name : null
}

output "frontdoor_domain_validation_token" {
  description = "TXT record value (_dnsauth.<host>) that validates the custom domain."
  value       = var.edge ? azurerm_cdn_frontdoor_custom_domain.main[0].validation_token : null
}

output "nat_public_ip" {
  description = "Outbound address of the cluster (for allow-lists of external APIs)."
  value       = azurerm_public_ip.nat.ip_address
}

output "ci_identity" {
  description = "Repository variables of the GitHub workflows (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_SUBSCRIPTION_ID) and the Azure Pipelines service connection (workload identity federation)."
  value = {
    client_id       = azurerm_user_assigned_identity.ci.client_id
    tenant_id       = data.azurerm_client_config.current.tenant_id
    subscription_id = data.azurerm_client_config.current.subscription_id
    registry        = azurerm_container_registry.main.name
  }
}

output "kubelet_identity_client_id" {
  description = "azure.env KUBELET_IDENTITY_CLIENT_ID (HealthSync: the Blob CSI volume's identity)"
  value       = azurerm_kubernetes_cluster.main.kubelet_identity[0].client_id
}

output "storage_account_name" {
  description = "azure.env STORAGE_ACCOUNT (HealthSync: checkup files); null when blob_storage is off"
  value       = var.blob_storage.enabled ? azurerm_storage_account.files[0].name : null
}

output "event_hubs" {
  description = "Event Hubs namespace endpoint and hubs (HealthSync's analytics stream)"
  value = length(var.event_hubs.hubs) > 0 ? {
    endpoint = "${azurerm_eventhub_namespace.main[0].name}.servicebus.windows.net"
    hubs     = keys(azurerm_eventhub.hubs)
  } : null
}

output "b2c_tenant" {
  description = "The AD B2C tenant (alternative issuer), when created"
  value       = var.b2c.enabled ? { domain = azurerm_aadb2c_directory.main[0].domain_name, tenant_id = azurerm_aadb2c_directory.main[0].tenant_id } : null
}
