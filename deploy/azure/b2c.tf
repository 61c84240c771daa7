# Azure AD B2C as an alternative OIDC issuer (HealthSync spec §11 #15: the same code path as
# Google, chosen by configuration). The azurerm provider creates the B2C tenant only; its
# user flow (sign-in with e-mail or social accounts), the app registration of HealthSync
# (redirect https://<host>/auth/callback, a client secret) and the issuer URL are made in
# the tenant afterwards — docs/healthsync/operations.md, "Sign-in", lists the steps.
# Entra External ID tenants have no azurerm resource at all (azapi/portal only).

resource "azurerm_aadb2c_directory" "main" {
  count                   = var.b2c.enabled ? 1 : 0
  domain_name             = var.b2c.domain_name
  country_code            = var.b2c.country_code
  data_residency_location = var.b2c.data_residency_location
  display_name            = "${var.name} ${var.environment} customers"
  resource_group_name     = azurerm_resource_group.main.name
  sku_name                = var.b2c.sku_name
  tags                    = local.tags
}
