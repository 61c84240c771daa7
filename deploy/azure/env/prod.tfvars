# Production (seed "운영환경"): multi-zone AKS (system D2s_v3 ×3–10, app D4s_v3 ×3–10),
# managed PostgreSQL/Redis, Service Bus Premium, Application Gateway WAF v2 + Front Door.
environment           = "prod"
managed_data_services = true
edge                  = true
backup_vault          = true
log_retention_days    = 90

aks = {
  sku_tier           = "Standard"
  private_cluster    = true
  system_vm_size     = "Standard_D2s_v3"
  system_min         = 3
  system_max         = 10
  system_os_disk     = "Ephemeral"
  app_pool_name      = "app"
  app_vm_size        = "Standard_D4s_v3"
  app_min            = 3
  app_max            = 10
  app_spot           = false
  app_os_disk        = "Ephemeral"
  zones              = ["1", "2", "3"]
  max_pods           = 50
  critical_only      = true
  authorized_ip_cidr = []
}

service_bus = {
  sku                  = "Premium"
  capacity             = 2
  partitions           = 2
  queue_max_size_mb    = 16384
  partitioning_enabled = true
}

# CI pushes with OIDC (deploy/azure/delivery.tf): replace your-org/tripgen with the repository.
ci_federated_subjects = [
  { name = "github-prod", issuer = "https://token.actions.githubusercontent.com", subject = "repo:your-org/tripgen:environment:prod" },
]
# Promotion imports from the dev registry (its resource ID from the dev state):
# ci_import_source_registry_id = "/subscriptions/…/resourceGroups/rg-tripgen-dev/providers/Microsoft.ContainerRegistry/registries/crtripgendev"
