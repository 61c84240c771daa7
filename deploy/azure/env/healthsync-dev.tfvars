# HealthSync dev on the shared root module (deploy/azure), its own resource group,
# cluster, vault and data services: terraform plan -var-file=env/healthsync-dev.tfvars
# (a separate state: -backend-config with its own key). Spec §9; docs/healthsync/operations.md.
name            = "healthsync"
public_hostname = "dev.healthsync.example.com"

# HealthSync needs no PostgreSQL extensions.
postgres_extensions = ""

# A queue per job kind (crates/healthsync: the domain events of spec §8.2 and the daily
# nudge). No sessions: HealthSync's jobs are independent; 10 deliveries, then dead-letter.
service_bus_queues = {
  "user-registered"   = { lock = "PT1M", max_delivery = 10, sessions = false }
  "user-deleted"      = { lock = "PT5M", max_delivery = 10, sessions = false }
  "health-synced"     = { lock = "PT1M", max_delivery = 10, sessions = false }
  "goal-set"          = { lock = "PT1M", max_delivery = 10, sessions = false }
  "mission-completed" = { lock = "PT1M", max_delivery = 10, sessions = false }
  "mission-reset"     = { lock = "PT1M", max_delivery = 10, sessions = false }
  "daily-nudge"       = { lock = "PT5M", max_delivery = 5, sessions = false }
}

# OWASP CRS 3.2 in Prevention mode; checkup files up to 10 MB (HS-HEALTH-050).
appgw_waf = {
  rule_set_type        = "OWASP"
  rule_set_version     = "3.2"
  max_request_body_kb  = 128
  file_upload_limit_mb = 11
}

# Checkup files: private Blob Storage, locally redundant (throwaway dev data).
blob_storage = {
  enabled     = true
  replication = "LRS"
  containers  = ["checkup-files"]
}

# The analytics stream (spec §8.2).
event_hubs = {
  hubs            = ["healthsync-analytics"]
  partitions      = 2
  retention_days  = 1
  capacity        = 1
  max_throughputs = 0
}

# Azure AD B2C as the alternative issuer: off; enable with a tenant domain you own.
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
