/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WHARF_TYPE_AUTHORIZATION_TOKEN (wharf_authorization_token_get_type ())
G_DECLARE_FINAL_TYPE (WharfAuthorizationToken, wharf_authorization_token,
                      WHARF, AUTHORIZATION_TOKEN, GObject)

/* A registry login (docker/podman login). Properties (read-only): "user-name" ("AWS"),
 * "proxy-endpoint" ("https://111122223333.dkr.ecr.us-east-1.amazonaws.com"),
 * "registry" (the endpoint's host, what `docker login` takes), "expires-at" (GDateTime).
 * The password is deliberately not a property (so it never shows up in a property dump or
 * GtkInspector); read it with wharf_authorization_token_get_password() and hand it to the
 * login command through stdin only. It is wiped when the object is finalised. */

/* From ECR's AuthorizationData: authorizationToken (base64 of "user:password"),
 * proxyEndpoint and expiresAt are required. */
WharfAuthorizationToken *wharf_authorization_token_new_from_json (JsonObject *object,
                                                                  GError    **error);

const char *wharf_authorization_token_get_user_name      (WharfAuthorizationToken *self);
const char *wharf_authorization_token_get_password       (WharfAuthorizationToken *self);
const char *wharf_authorization_token_get_proxy_endpoint (WharfAuthorizationToken *self);
const char *wharf_authorization_token_get_registry       (WharfAuthorizationToken *self);
GDateTime  *wharf_authorization_token_get_expires_at     (WharfAuthorizationToken *self);

G_END_DECLS
