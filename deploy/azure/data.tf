# Managed data services (prod): PostgreSQL Flexible Server and Azure Cache for Redis,
# both reachable only through private endpoints. Dev runs both as pods instead.

resource "random_password" "postgres_admin" {
  count   = var.managed_data_services ? 1 : 0
  length  = 40
  special = false
}

resource "azurerm_postgresql_flexible_server" "main" {
  #checkov:skip=CKV_AZURE_136:Geo-redundant backup is set from var.postgres.geo_backup (true in prod).
  count                         = var.managed_data_services ? 1 : 0
  name                          = "psql-${local.base}"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  version                       = var.postgres.version
  sku_name                      = var.postgres.sku_name
  storage_mb                    = var.postgres.storage_mb
  auto_grow_enabled             = true
  backup_retention_days         = var.postgres.backup_days
  geo_redundant_backup_enabled  = var.postgres.geo_backup
  public_network_access_enabled = false
  zone                          = "1"
  administrator_login           = "${var.name}_admin"
  administrator_password        = random_password.postgres_admin[0].result
  tags                          = local.tags

  authentication {
    password_auth_enabled         = true
    active_directory_auth_enabled = true
    tenant_id                     = data.azurerm_client_config.current.tenant_id
  }

  dynamic "high_availability" {
    for_each = var.postgres.ha_zone_redundant ? [1] : []
    content {
      mode                      = "ZoneRedundant"
      standby_availability_zone = "2"
    }
  }

  maintenance_window {
    day_of_week  = 0
    start_hour   = 18 # 03:00 KST
    start_minute = 0
  }

  lifecycle {
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
  }
}

# The address keeps its first name (renaming it would recreate the database); the
# database is named after the product (var.name).
resource "azurerm_postgresql_flexible_server_database" "tripgen" {
  count     = var.managed_data_services ? 1 : 0
  name      = var.name
  server_id = azurerm_postgresql_flexible_server.main[0].id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

# Extensions the migrations create must be allow-listed (TripGen: postgis, pg_trgm).
resource "azurerm_postgresql_flexible_server_configuration" "extensions" {
  count     = var.managed_data_services && var.postgres_extensions != "" ? 1 : 0
  name      = "azure.extensions"
  server_id = azurerm_postgresql_flexible_server.main[0].id
  value     = var.postgres_extensions
}

resource "azurerm_postgresql_flexible_server_configuration" "server" {
  for_each = var.managed_data_services ? {
    "log_checkpoints"            = "on"
    "log_connections"            = "on"
    "log_disconnections"         = "on"
    "connection_throttle.enable" = "on"
    "require_secure_transport"   = "on"
  } : {}
  name      = each.key
  server_id = azurerm_postgresql_flexible_server.main[0].id
  value     = each.value
}

# Read replica(s) in another zone (seed: replica in zone 2), for read scaling and as a
# promotion target. Backups and HA are the primary's.
resource "azurerm_postgresql_flexible_server" "replica" {
  #checkov:skip=CKV_AZURE_136:A read replica has no backups of its own; the primary's are geo-redundant.
  count                         = var.managed_data_services ? var.postgres.read_replicas : 0
  name                          = "psql-${local.base}-replica-${count.index + 1}"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  create_mode                   = "Replica"
  source_server_id              = azurerm_postgresql_flexible_server.main[0].id
  version                       = var.postgres.version
  sku_name                      = var.postgres.sku_name
  storage_mb                    = var.postgres.storage_mb
  auto_grow_enabled             = true
  public_network_access_enabled = false
  zone                          = "2"
  tags                          = local.tags
}

resource "azurerm_private_endpoint" "postgres" {
  count               = var.managed_data_services ? 1 + var.postgres.read_replicas : 0
  name                = "pe-${local.base}-psql-${count.index}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.database.id
  tags                = local.tags

  private_service_connection {
    name                           = "psql-${count.index}"
    private_connection_resource_id = count.index == 0 ? azurerm_postgresql_flexible_server.main[0].id : azurerm_postgresql_flexible_server.replica[count.index - 1].id
    subresource_names              = ["postgresqlServer"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "postgres"
    private_dns_zone_ids = [azurerm_private_dns_zone.zones["postgres"].id]
  }
}

# --- Redis ---------------------------------------------------------------------------------
# Not clustered: TripGen's Redis client is not cluster-aware (the seed's clustering would
# need one). No persistence: Redis holds caches, rate-limit windows and the session
# deny-list (all short-lived); durable state is in PostgreSQL.
resource "azurerm_redis_cache" "main" {
  #checkov:skip=CKV_AZURE_89:Public network access is disabled below; the check misreads the conditional.
  count                         = var.managed_data_services ? 1 : 0
  name                          = "redis-${local.base}"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  family                        = var.redis.family
  sku_name                      = var.redis.sku_name
  capacity                      = var.redis.capacity
  zones                         = var.redis.zones
  replicas_per_primary          = 1
  non_ssl_port_enabled          = false
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
  redis_version                 = "6"
  tags                          = local.tags

  redis_configuration {
    maxmemory_policy = "allkeys-lru"
  }

  patch_schedule {
    day_of_week    = "Sunday"
    start_hour_utc = 18
  }
}

resource "azurerm_private_endpoint" "redis" {
  count               = var.managed_data_services ? 1 : 0
  name                = "pe-${local.base}-redis"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.cache.id
  tags                = local.tags

  private_service_connection {
    name                           = "redis"
    private_connection_resource_id = azurerm_redis_cache.main[0].id
    subresource_names              = ["redisCache"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "redis"
    private_dns_zone_ids = [azurerm_private_dns_zone.zones["redis"].id]
  }
}
