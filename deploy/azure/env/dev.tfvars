# Development (seed "개발환경"): small AKS (B2s; the TripGen pool on spot nodes),
# PostgreSQL and Redis as pods, Service Bus Basic, NGINX ingress, no WAF/Front Door.
environment           = "dev"
managed_data_services = false
edge                  = false
backup_vault          = false
log_retention_days    = 30

aks = {
  sku_tier           = "Free"
  private_cluster    = false
  system_vm_size     = "Standard_B2s"
  system_min         = 1
  system_max         = 1
  system_os_disk     = "Managed"
  app_pool_name      = "dev"
  app_vm_size        = "Standard_B2s"
  app_min            = 2
  app_max            = 3
  app_spot           = true
  app_os_disk        = "Managed"
  zones              = []
  max_pods           = 30
  critical_only      = true
  authorized_ip_cidr = ["203.0.113.0/24"] # replace with the team's addresses
}

service_bus = {
  sku                  = "Basic"
  capacity             = 0
  partitions           = 0
  queue_max_size_mb    = 1024
  partitioning_enabled = false
}

# CI pushes with OIDC (deploy/azure/delivery.tf): replace your-org/tripgen with the repository.
ci_federated_subjects = [
  { name = "github-main", issuer = "https://token.actions.githubusercontent.com", subject = "repo:your-org/tripgen:ref:refs/heads/main" },
]
