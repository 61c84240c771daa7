# HealthSync prod on the shared root module (deploy/azure), its own resource group,
# cluster, vault and data services: terraform plan -var-file=env/healthsync-prod.tfvars
# (a separate state: -backend-config with its own key). Spec §9; docs/healthsync/operations.md.
name            = "healthsync"
public_hostname = "healthsync.example.com"

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

# Checkup files: private Blob Storage, geo-redundant (GRS).
blob_storage = {
  enabled     = true
  replication = "GRS"
  containers  = ["checkup-files"]
}

# The analytics stream (spec §8.2).
event_hubs = {
  hubs            = ["healthsync-analytics"]
  partitions      = 2
  retention_days  = 7
  capacity        = 1
  max_throughputs = 4
}

# PITR (35 days, geo-redundant backups) and zone-redundant HA (spec §9); no read replica:
# HealthSync reads from the primary.
postgres = {
  sku_name          = "GP_Standard_D2s_v3"
  version           = "16"
  storage_mb        = 65536
  backup_days       = 35
  geo_backup        = true
  ha_zone_redundant = true
  read_replicas     = 0
}

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
# ci_import_source_registry_id = "/subscriptions/…/resourceGroups/rg-healthsync-dev/providers/Microsoft.ContainerRegistry/registries/crhealthsyncdev"
