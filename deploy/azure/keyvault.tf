# Key Vault (seed: Premium, HSM-backed) with RBAC, purge protection and a private
# endpoint. Terraform writes the secrets the pods read through the CSI driver
# (deploy/k8s/components/secrets-keyvault, deploy/healthsync/k8s/components/secrets-keyvault):
# names <var.name>-*; rotation every 90 days (seed).

resource "azurerm_key_vault" "main" {
  #checkov:skip=CKV_AZURE_189:The firewall denies by default and admits only var.management_ip_ranges (Terraform writes the secrets); pods use the private endpoint.
  name                          = "kv-${local.base}"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = local.prod ? "premium" : "standard"
  enable_rbac_authorization     = true
  purge_protection_enabled      = true
  soft_delete_retention_days    = 90
  public_network_access_enabled = true
  tags                          = local.tags

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
    ip_rules       = var.management_ip_ranges
  }
}

resource "azurerm_private_endpoint" "keyvault" {
  name                = "pe-${local.base}-kv"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.security.id
  tags                = local.tags

  private_service_connection {
    name                           = "keyvault"
    private_connection_resource_id = azurerm_key_vault.main.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "keyvault"
    private_dns_zone_ids = [azurerm_private_dns_zone.zones["keyvault"].id]
  }
}

# Whoever runs Terraform manages the secrets and certificates.
resource "azurerm_role_assignment" "deployer_kv" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Administrator"
  principal_id         = data.azurerm_client_config.current.object_id
}

# Rotation clock: every secret expires 90 days after it was (re)written (seed policy);
# re-running Terraform after the rotation renews the expiry.
resource "time_rotating" "secrets" {
  rotation_days = 90
}

resource "random_password" "jwt_secret" {
  length  = 64
  special = false
  keepers = { rotation = time_rotating.secrets.id }
}

resource "random_bytes" "field_encryption_key" {
  length = 32
  # Never rotated by Terraform: phone numbers at rest are encrypted with it
  # (docs/operations.md, "Secrets").
}

locals {
  postgres_url = var.managed_data_services ? format(
    "postgres://%s:%s@%s:5432/%s?sslmode=require",
    azurerm_postgresql_flexible_server.main[0].administrator_login,
    random_password.postgres_admin[0].result,
    azurerm_postgresql_flexible_server.main[0].fqdn,
    azurerm_postgresql_flexible_server_database.tripgen[0].name,
  ) : null
  redis_url = var.managed_data_services ? format(
    "rediss://:%s@%s:%d/0",
    azurerm_redis_cache.main[0].primary_access_key,
    azurerm_redis_cache.main[0].hostname,
    azurerm_redis_cache.main[0].ssl_port,
  ) : null
  # Only the secrets that exist in this environment (dev keeps its own in a plain Secret).
  app_secrets = merge(
    {
      "${var.name}-jwt-secret"           = random_password.jwt_secret.result
      "${var.name}-field-encryption-key" = random_bytes.field_encryption_key.base64
    },
    var.managed_data_services ? {
      "${var.name}-database-url" = local.postgres_url
      "${var.name}-redis-url"    = local.redis_url
    } : {},
    var.smtp_url != null ? { "${var.name}-mail-smtp-url" = var.smtp_url } : {},
    # Product secrets given from outside (HealthSync: oidc-client-secret, ai-api-key).
    { for k, v in var.app_secrets : "${var.name}-${k}" => v },
    {
      # jobs.servicebus.url: amqps://<rule>:<key, percent-encoded>@<namespace>
      "${var.name}-jobs-servicebus-url" = format(
        "amqps://%s:%s@%s.servicebus.windows.net",
        azurerm_servicebus_namespace_authorization_rule.app.name,
        urlencode(azurerm_servicebus_namespace_authorization_rule.app.primary_key),
        azurerm_servicebus_namespace.main.name,
      )
    },
  )
}

resource "azurerm_key_vault_secret" "app" {
  for_each        = nonsensitive(toset(keys(local.app_secrets)))
  name            = each.key
  value           = local.app_secrets[each.key]
  key_vault_id    = azurerm_key_vault.main.id
  content_type    = "text/plain"
  expiration_date = timeadd(time_rotating.secrets.rfc3339, "2160h")
  tags            = local.tags

  depends_on = [azurerm_role_assignment.deployer_kv]
}

# Public certificate for the Application Gateway listener (name `tripgen-tls`, which the
# prod Ingress names). Prod: set var.tls_certificate_issuer to an integrated CA.
resource "azurerm_key_vault_certificate" "tls" {
  count        = var.edge ? 1 : 0
  name         = "${var.name}-tls"
  key_vault_id = azurerm_key_vault.main.id
  tags         = local.tags

  certificate_policy {
    issuer_parameters {
      name = var.tls_certificate_issuer
    }
    key_properties {
      exportable = true
      key_type   = "RSA"
      key_size   = 2048
      reuse_key  = false
    }
    secret_properties {
      content_type = "application/x-pkcs12"
    }
    lifetime_action {
      action {
        action_type = "AutoRenew"
      }
      trigger {
        days_before_expiry = 30
      }
    }
    x509_certificate_properties {
      subject            = "CN=${var.public_hostname}"
      validity_in_months = 12
      key_usage          = ["digitalSignature", "keyEncipherment"]
      extended_key_usage = ["1.3.6.1.5.5.7.3.1"]
      subject_alternative_names {
        dns_names = [var.public_hostname]
      }
    }
  }

  depends_on = [azurerm_role_assignment.deployer_kv]
}
