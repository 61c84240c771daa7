# Sizing and switches per environment: env/dev.tfvars and env/prod.tfvars follow the
# seeds' development and production environments (docs/operations.md, "Azure").

variable "subscription_id" {
  description = "Azure subscription to deploy into."
  type        = string
}

variable "environment" {
  description = "dev or prod; part of every resource name."
  type        = string
  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "location" {
  description = "Primary region."
  type        = string
  default     = "koreacentral"
}

variable "dr_location" {
  description = "Secondary region: container registry replica (seed: DR site)."
  type        = string
  default     = "koreasouth"
}

variable "name" {
  description = "Short project name used in resource names."
  type        = string
  default     = "tripgen"
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

variable "address_space" {
  description = "VNet address space (seed: 10.0.0.0/16)."
  type        = string
  default     = "10.0.0.0/16"
}

variable "subnet_cidrs" {
  description = "Subnets (seed: application 10.0.1.0/24, database .2, cache .3, gateway .4; Service Bus and Key Vault endpoints .5/.6). `pods` holds the pod IPs (Azure CNI with a pod subnet). Keep deploy/k8s NetworkPolicies in step."
  type        = map(string)
  default = {
    application = "10.0.1.0/24"
    database    = "10.0.2.0/24"
    cache       = "10.0.3.0/24"
    gateway     = "10.0.4.0/24"
    messaging   = "10.0.5.0/24"
    security    = "10.0.6.0/24"
    pods        = "10.0.16.0/20"
  }
}

variable "service_cidr" {
  description = "Kubernetes service CIDR (outside the VNet)."
  type        = string
  default     = "172.16.0.0/16"
}

variable "kubernetes_version" {
  description = "AKS Kubernetes version (null = the region's default)."
  type        = string
  default     = null
}

variable "aks" {
  description = "AKS sizing. System pool: add-ons only in prod; the app pool carries TripGen (label tripgen.io/pool)."
  type = object({
    sku_tier           = string
    private_cluster    = bool
    system_vm_size     = string
    system_min         = number
    system_max         = number
    system_os_disk     = string
    app_pool_name      = string
    app_vm_size        = string
    app_min            = number
    app_max            = number
    app_spot           = bool
    app_os_disk        = string
    zones              = list(string)
    max_pods           = number
    critical_only      = bool
    authorized_ip_cidr = list(string)
  })
}

variable "aks_admin_group_object_ids" {
  description = "Entra ID groups that administer the cluster (Azure RBAC for Kubernetes)."
  type        = list(string)
  default     = []
}

variable "managed_data_services" {
  description = "true (prod): Azure Database for PostgreSQL + Azure Cache for Redis + private endpoints. false (dev): both run as pods (deploy/k8s/overlays/dev)."
  type        = bool
}

variable "postgres" {
  description = "PostgreSQL Flexible Server (seed: GP_Standard_D4s_v3, 35-day backups, zone-redundant HA, read replica)."
  type = object({
    sku_name          = string
    version           = string
    storage_mb        = number
    backup_days       = number
    geo_backup        = bool
    ha_zone_redundant = bool
    read_replicas     = number
  })
  default = {
    sku_name          = "GP_Standard_D4s_v3"
    version           = "16"
    storage_mb        = 131072
    backup_days       = 35
    geo_backup        = true
    ha_zone_redundant = true
    read_replicas     = 1
  }
}

variable "redis" {
  description = "Azure Cache for Redis (seed: Premium P1, 6 GB, zone redundant)."
  type = object({
    family   = string
    sku_name = string
    capacity = number
    zones    = list(string)
  })
  default = {
    family   = "P"
    sku_name = "Premium"
    capacity = 1
    zones    = ["1", "2"]
  }
}

variable "service_bus" {
  description = "Service Bus (seed: Premium, 2 messaging units, partitioned 16 GB queues in prod; Basic, 1 GB in dev)."
  type = object({
    sku                  = string
    capacity             = number
    partitions           = number
    queue_max_size_mb    = number
    partitioning_enabled = bool
  })
}

variable "edge" {
  description = "true (prod): Application Gateway WAF v2 + Front Door in front of AKS. false (dev): NGINX ingress with its own public IP."
  type        = bool
}

variable "public_hostname" {
  description = "Public host name of TripGen (Front Door custom domain, Application Gateway certificate)."
  type        = string
  default     = "tripgen.example.com"
}

variable "appgw" {
  description = "Application Gateway WAF v2 autoscale range (seed: 2 instances, zone redundant)."
  type = object({
    min_capacity = number
    max_capacity = number
  })
  default = {
    min_capacity = 2
    max_capacity = 10
  }
}

variable "tls_certificate_issuer" {
  description = "Key Vault certificate issuer for the public certificate: an issuer the vault is integrated with (DigiCert, GlobalSign) in prod; `Self` only for a first bootstrap."
  type        = string
  default     = "Self"
}

variable "management_ip_ranges" {
  description = "CIDRs of the operators/CI that run Terraform and push images (Key Vault and registry firewalls, AKS API when public)."
  type        = list(string)
  default     = []
}

variable "smtp_url" {
  description = "SMTP relay URL for mail (smtps://user:pass@host:465); stored in Key Vault as tripgen-mail-smtp-url. Required where the prod overlay runs (its CSI volume mounts that secret). Pass with TF_VAR_smtp_url."
  type        = string
  sensitive   = true
  default     = null
}

variable "log_retention_days" {
  description = "Log Analytics retention (seed: 30 dev, 90 prod)."
  type        = number
}

variable "alert_email" {
  description = "Address of the on-call mailbox for Azure Monitor alerts."
  type        = string
  default     = "oncall@example.com"
}

variable "backup_vault" {
  description = "Azure Backup vault with long-term PostgreSQL backups (seed: GRS backup vault)."
  type        = bool
}

variable "ci_federated_subjects" {
  description = "CI jobs allowed to act as the CI identity (AcrPush, image import) through OIDC federation, no secret. GitHub: issuer https://token.actions.githubusercontent.com, subject repo:<owner>/<repo>:ref:refs/heads/main (dev builds) or repo:<owner>/<repo>:environment:prod (promotion). Azure Pipelines: issuer https://vstoken.dev.azure.com/<organization id>, subject sc://<organization>/<project>/<service connection>."
  type = list(object({
    name    = string
    issuer  = string
    subject = string
  }))
  default = []
}

variable "ci_import_source_registry_id" {
  description = "Resource ID of the registry promotions import from (prod: the dev registry); the CI identity gets AcrPull on it. null: none."
  type        = string
  default     = null
}

variable "gitops" {
  description = "Argo CD, Argo Rollouts and the bootstrap Application (deploy/gitops/<name>/bootstrap/<environment>.yaml), installed with the Helm provider. Chart versions are pinned: bump them deliberately."
  type = object({
    enabled                = bool
    argocd_chart_version   = string
    rollouts_chart_version = string
    apps_chart_version     = string
  })
  default = {
    enabled                = true
    argocd_chart_version   = "9.1.0"
    rollouts_chart_version = "2.40.5"
    apps_chart_version     = "2.0.2"
  }
}

# --- Per-product settings (TripGen's by default; env/healthsync-*.tfvars for HealthSync) ---

variable "postgres_extensions" {
  description = "Extensions the migrations create, allow-listed on the server (azure.extensions); empty = none."
  type        = string
  default     = "POSTGIS,PG_TRGM"
}

variable "service_bus_queues" {
  description = "Service Bus queues: one per job kind (the platform's jobs.backend = servicebus). lock: ISO 8601 lock duration; max_delivery: deliveries before dead-lettering; sessions: requires_session (Premium only)."
  type = map(object({
    lock         = string
    max_delivery = number
    sessions     = bool
  }))
  default = {
    "ai-schedule-generation" = { lock = "PT5M", max_delivery = 5, sessions = true }
    "location-search"        = { lock = "PT1M", max_delivery = 10, sessions = true }
    "notification"           = { lock = "PT1M", max_delivery = 10, sessions = true }
  }
}

variable "appgw_waf" {
  description = "Application Gateway WAF managed rule set and body limits (Prevention mode always)."
  type = object({
    rule_set_type        = string
    rule_set_version     = string
    max_request_body_kb  = number
    file_upload_limit_mb = number
  })
  default = {
    rule_set_type        = "Microsoft_DefaultRuleSet"
    rule_set_version     = "2.1"
    max_request_body_kb  = 128
    file_upload_limit_mb = 6
  }
}

variable "app_secrets" {
  description = "Further Key Vault secrets of the product, written as <name>-<key> (HealthSync: oidc-client-secret, optionally ai-api-key). Pass with TF_VAR_app_secrets; never in a tfvars file."
  type        = map(string)
  sensitive   = true
  default     = {}
}

variable "blob_storage" {
  description = "Private Blob Storage for uploaded files (HealthSync's checkup files): replication GRS/RAGRS in prod, LRS in dev; mounted by the Blob CSI driver. Off for TripGen."
  type = object({
    enabled     = bool
    replication = string
    containers  = list(string)
  })
  default = {
    enabled     = false
    replication = "GRS"
    containers  = []
  }
}

variable "event_hubs" {
  description = "Event Hubs namespace (Standard) and its hubs, e.g. HealthSync's analytics stream `healthsync-analytics`. Empty list: none."
  type = object({
    hubs            = list(string)
    partitions      = number
    retention_days  = number
    capacity        = number
    max_throughputs = number
  })
  default = {
    hubs            = []
    partitions      = 2
    retention_days  = 1
    capacity        = 1
    max_throughputs = 0
  }
}

variable "b2c" {
  description = "An Azure AD B2C tenant as an alternative OIDC issuer (HealthSync spec §11 #15). Its user flow and app registration are made in the tenant afterwards (docs/healthsync/operations.md, \"Sign-in\")."
  type = object({
    enabled                 = bool
    domain_name             = string
    country_code            = string
    data_residency_location = string
    sku_name                = string
  })
  default = {
    enabled                 = false
    domain_name             = "example.onmicrosoft.com"
    country_code            = "KR"
    data_residency_location = "Asia Pacific"
    sku_name                = "PremiumP1"
  }
}
