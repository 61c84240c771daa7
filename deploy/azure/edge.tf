# Prod edge (seed): Front Door (WAF, TLS, global entry) → Application Gateway WAF v2
# (zone redundant, reachable from Front Door only) → AGIC → gateway pods.

resource "azurerm_public_ip" "appgw" {
  count               = var.edge ? 1 : 0
  name                = "pip-${local.base}-appgw"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = var.aks.zones
  domain_name_label   = "${local.base}-origin"
  tags                = local.tags
}

resource "azurerm_user_assigned_identity" "appgw" {
  count               = var.edge ? 1 : 0
  name                = "id-${local.base}-appgw"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_role_assignment" "appgw_kv" {
  count                = var.edge ? 1 : 0
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.appgw[0].principal_id
}

resource "azurerm_web_application_firewall_policy" "appgw" {
  #checkov:skip=CKV_AZURE_135:The check looks for the OWASP CRS; TripGen's Microsoft_DefaultRuleSet 2.1 carries the Log4j (CVE-2021-44228) rules too, HealthSync uses OWASP CRS 3.2 (var.appgw_waf).
  count               = var.edge ? 1 : 0
  name                = "waf-${local.base}-appgw"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags

  # Only requests that came through our Front Door profile.
  custom_rules {
    name      = "OnlyOurFrontDoor"
    priority  = 1
    rule_type = "MatchRule"
    action    = "Block"
    match_conditions {
      match_variables {
        variable_name = "RequestHeaders"
        selector      = "X-Azure-FDID"
      }
      operator           = "Equal"
      negation_condition = true
      match_values       = [azurerm_cdn_frontdoor_profile.main[0].resource_guid]
    }
  }

  policy_settings {
    enabled                     = true
    mode                        = "Prevention"
    request_body_check          = true
    max_request_body_size_in_kb = var.appgw_waf.max_request_body_kb
    file_upload_limit_in_mb     = var.appgw_waf.file_upload_limit_mb
  }

  managed_rules {
    managed_rule_set {
      type    = var.appgw_waf.rule_set_type
      version = var.appgw_waf.rule_set_version
    }
    managed_rule_set {
      type    = "Microsoft_BotManagerRuleSet"
      version = "1.0"
    }
  }
}

locals {
  appgw = {
    frontend_ip   = "public"
    frontend_port = "https"
    backend_pool  = "bootstrap"
    http_settings = "bootstrap"
    listener      = "https"
    rule          = "bootstrap"
  }
}

# AGIC owns listeners, pools, probes and rules after the first apply (ignore_changes);
# Terraform creates a minimal bootstrap configuration and the TLS certificate.
resource "azurerm_application_gateway" "main" {
  count                             = var.edge ? 1 : 0
  name                              = "agw-${local.base}"
  location                          = azurerm_resource_group.main.location
  resource_group_name               = azurerm_resource_group.main.name
  zones                             = var.aks.zones
  firewall_policy_id                = azurerm_web_application_firewall_policy.appgw[0].id
  force_firewall_policy_association = true
  enable_http2                      = true
  tags                              = local.tags

  sku {
    name = "WAF_v2"
    tier = "WAF_v2"
  }

  autoscale_configuration {
    min_capacity = var.appgw.min_capacity
    max_capacity = var.appgw.max_capacity
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.appgw[0].id]
  }

  ssl_policy {
    policy_type = "Predefined"
    policy_name = "AppGwSslPolicy20220101S"
  }

  gateway_ip_configuration {
    name      = "gateway"
    subnet_id = azurerm_subnet.gateway.id
  }

  frontend_ip_configuration {
    name                 = local.appgw.frontend_ip
    public_ip_address_id = azurerm_public_ip.appgw[0].id
  }

  frontend_port {
    name = local.appgw.frontend_port
    port = 443
  }

  ssl_certificate {
    name                = "${var.name}-tls"
    key_vault_secret_id = azurerm_key_vault_certificate.tls[0].versionless_secret_id
  }

  backend_address_pool {
    name = local.appgw.backend_pool
  }

  backend_http_settings {
    name                  = local.appgw.http_settings
    cookie_based_affinity = "Disabled"
    port                  = 8080
    protocol              = "Http"
    request_timeout       = 60
  }

  http_listener {
    name                           = local.appgw.listener
    frontend_ip_configuration_name = local.appgw.frontend_ip
    frontend_port_name             = local.appgw.frontend_port
    protocol                       = "Https"
    ssl_certificate_name           = "${var.name}-tls"
    host_name                      = var.public_hostname
  }

  request_routing_rule {
    name                       = local.appgw.rule
    rule_type                  = "Basic"
    priority                   = 100
    http_listener_name         = local.appgw.listener
    backend_address_pool_name  = local.appgw.backend_pool
    backend_http_settings_name = local.appgw.http_settings
  }

  lifecycle {
    ignore_changes = [
      backend_address_pool, backend_http_settings, frontend_port, http_listener, probe,
      redirect_configuration, request_routing_rule, url_path_map, rewrite_rule_set,
      tags["managed-by-k8s-ingress"], tags["last-updated-by-k8s-ingress"],
    ]
  }

  depends_on = [azurerm_role_assignment.appgw_kv]
}

# --- Front Door -----------------------------------------------------------------------------
resource "azurerm_cdn_frontdoor_profile" "main" {
  count                    = var.edge ? 1 : 0
  name                     = "afd-${local.base}"
  resource_group_name      = azurerm_resource_group.main.name
  sku_name                 = "Premium_AzureFrontDoor"
  response_timeout_seconds = 60
  tags                     = local.tags
}

resource "azurerm_cdn_frontdoor_endpoint" "main" {
  count                    = var.edge ? 1 : 0
  name                     = "fde-${local.base}"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main[0].id
  tags                     = local.tags
}

resource "azurerm_cdn_frontdoor_origin_group" "appgw" {
  count                    = var.edge ? 1 : 0
  name                     = "appgw"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main[0].id
  session_affinity_enabled = false

  load_balancing {
    sample_size                 = 4
    successful_samples_required = 3
  }

  health_probe {
    path                = "/health/ready"
    protocol            = "Https"
    request_type        = "GET"
    interval_in_seconds = 30
  }
}

resource "azurerm_cdn_frontdoor_origin" "appgw" {
  count                          = var.edge ? 1 : 0
  name                           = "appgw"
  cdn_frontdoor_origin_group_id  = azurerm_cdn_frontdoor_origin_group.appgw[0].id
  enabled                        = true
  host_name                      = azurerm_public_ip.appgw[0].fqdn
  origin_host_header             = var.public_hostname
  http_port                      = 80
  https_port                     = 443
  certificate_name_check_enabled = true
  priority                       = 1
  weight                         = 1000
}

resource "azurerm_cdn_frontdoor_custom_domain" "main" {
  count                    = var.edge ? 1 : 0
  name                     = replace(var.public_hostname, ".", "-")
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main[0].id
  host_name                = var.public_hostname

  tls {
    certificate_type = "ManagedCertificate"
  }
}

resource "azurerm_cdn_frontdoor_route" "main" {
  count                           = var.edge ? 1 : 0
  name                            = var.name
  cdn_frontdoor_endpoint_id       = azurerm_cdn_frontdoor_endpoint.main[0].id
  cdn_frontdoor_origin_group_id   = azurerm_cdn_frontdoor_origin_group.appgw[0].id
  cdn_frontdoor_origin_ids        = [azurerm_cdn_frontdoor_origin.appgw[0].id]
  cdn_frontdoor_custom_domain_ids = [azurerm_cdn_frontdoor_custom_domain.main[0].id]
  supported_protocols             = ["Http", "Https"]
  patterns_to_match               = ["/*"]
  forwarding_protocol             = "HttpsOnly"
  https_redirect_enabled          = true
  link_to_default_domain          = true
}

# The web app's hashed build assets (/assets/*, Vite): cached at the edge (Front Door's CDN)
# for as long as the origin's Cache-Control allows (a year, immutable); every other path,
# index.html included, goes to the origin uncached.
resource "azurerm_cdn_frontdoor_route" "assets" {
  count                           = var.edge ? 1 : 0
  name                            = "${var.name}-assets"
  cdn_frontdoor_endpoint_id       = azurerm_cdn_frontdoor_endpoint.main[0].id
  cdn_frontdoor_origin_group_id   = azurerm_cdn_frontdoor_origin_group.appgw[0].id
  cdn_frontdoor_origin_ids        = [azurerm_cdn_frontdoor_origin.appgw[0].id]
  cdn_frontdoor_custom_domain_ids = [azurerm_cdn_frontdoor_custom_domain.main[0].id]
  supported_protocols             = ["Http", "Https"]
  patterns_to_match               = ["/assets/*"]
  forwarding_protocol             = "HttpsOnly"
  https_redirect_enabled          = true
  link_to_default_domain          = true

  cache {
    query_string_caching_behavior = "UseQueryString"
    compression_enabled           = true
    content_types_to_compress     = ["application/javascript", "text/css", "image/svg+xml", "application/json", "font/woff2"]
  }
}

resource "azurerm_cdn_frontdoor_firewall_policy" "main" {
  count                             = var.edge ? 1 : 0
  name                              = "waf${local.compact}afd"
  resource_group_name               = azurerm_resource_group.main.name
  sku_name                          = azurerm_cdn_frontdoor_profile.main[0].sku_name
  enabled                           = true
  mode                              = "Prevention"
  custom_block_response_status_code = 403
  tags                              = local.tags

  # Coarse per-address flood limit in front of the app's own 100/min per user (seed).
  custom_rule {
    name                           = "PerIpRateLimit"
    enabled                        = true
    priority                       = 1
    type                           = "RateLimitRule"
    rate_limit_duration_in_minutes = 1
    rate_limit_threshold           = 1000
    action                         = "Block"
    match_condition {
      match_variable = "RemoteAddr"
      operator       = "IPMatch"
      match_values   = ["0.0.0.0/0", "::/0"]
    }
  }

  managed_rule {
    type    = "Microsoft_DefaultRuleSet"
    version = "2.1"
    action  = "Block"
  }

  managed_rule {
    type    = "Microsoft_BotManagerRuleSet"
    version = "1.1"
    action  = "Block"
  }
}

resource "azurerm_cdn_frontdoor_security_policy" "main" {
  count                    = var.edge ? 1 : 0
  name                     = "waf"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main[0].id

  security_policies {
    firewall {
      cdn_frontdoor_firewall_policy_id = azurerm_cdn_frontdoor_firewall_policy.main[0].id
      association {
        patterns_to_match = ["/*"]
        domain {
          cdn_frontdoor_domain_id = azurerm_cdn_frontdoor_custom_domain.main[0].id
        }
        domain {
          cdn_frontdoor_domain_id = azurerm_cdn_frontdoor_endpoint.main[0].id
        }
      }
    }
  }
}
