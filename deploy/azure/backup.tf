# Azure Backup vault (seed: GRS) with weekly long-term backups of the PostgreSQL server,
# kept for a year — on top of the server's own 35-day point-in-time restore.

resource "azurerm_data_protection_backup_vault" "main" {
  count                        = var.backup_vault && var.managed_data_services ? 1 : 0
  name                         = "bvault-${local.base}"
  location                     = azurerm_resource_group.main.location
  resource_group_name          = azurerm_resource_group.main.name
  datastore_type               = "VaultStore"
  redundancy                   = "GeoRedundant"
  cross_region_restore_enabled = true
  soft_delete                  = "On"
  retention_duration_in_days   = 14
  tags                         = local.tags

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_role_assignment" "backup_postgres" {
  count                = length(azurerm_data_protection_backup_vault.main)
  scope                = azurerm_postgresql_flexible_server.main[0].id
  role_definition_name = "PostgreSQL Flexible Server Long Term Retention Backup Role"
  principal_id         = azurerm_data_protection_backup_vault.main[0].identity[0].principal_id
}

resource "azurerm_role_assignment" "backup_reader" {
  count                = length(azurerm_data_protection_backup_vault.main)
  scope                = azurerm_resource_group.main.id
  role_definition_name = "Reader"
  principal_id         = azurerm_data_protection_backup_vault.main[0].identity[0].principal_id
}

resource "azurerm_data_protection_backup_policy_postgresql_flexible_server" "weekly" {
  count                           = length(azurerm_data_protection_backup_vault.main)
  name                            = "weekly-1y"
  vault_id                        = azurerm_data_protection_backup_vault.main[0].id
  backup_repeating_time_intervals = ["R/2025-01-05T18:00:00+00:00/P1W"]

  default_retention_rule {
    life_cycle {
      duration        = "P1Y"
      data_store_type = "VaultStore"
    }
  }
}

resource "azurerm_data_protection_backup_instance_postgresql_flexible_server" "main" {
  count            = length(azurerm_data_protection_backup_vault.main)
  name             = "psql-${local.base}"
  location         = azurerm_resource_group.main.location
  vault_id         = azurerm_data_protection_backup_vault.main[0].id
  server_id        = azurerm_postgresql_flexible_server.main[0].id
  backup_policy_id = azurerm_data_protection_backup_policy_postgresql_flexible_server.weekly[0].id

  depends_on = [azurerm_role_assignment.backup_postgres, azurerm_role_assignment.backup_reader]
}
