/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The in-process calls that tests, the benchmarks and practice mode use to set up and
 * inspect a sandbox without going through HTTP: create repositories and push images, count
 * and look them up. They go through the context object's API (wharf-sandbox.c).
 */
#define G_LOG_DOMAIN "wharf-sandbox"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-sandbox-private.h"
#include "wharf-sandbox-registry-private.h"

/* In-process helpers */

static SbRegistry *
default_registry (WharfSandbox *self,
                  const char   *region)
{
  return sb_sandbox_get_registry (self, wharf_sandbox_get_account_id (self),
                       region ? region : WHARF_SANDBOX_DEFAULT_REGION);
}

static gboolean
call_error (SbCall  *call,
            GError **error)
{
  int code = WHARF_SANDBOX_ERROR_INVALID;

  if (g_str_has_suffix (call->error_type, "AlreadyExistsException"))
    code = WHARF_SANDBOX_ERROR_CONFLICT;
  else if (g_str_has_suffix (call->error_type, "NotFoundException"))
    code = WHARF_SANDBOX_ERROR_NOT_FOUND;
  g_set_error (error, WHARF_SANDBOX_ERROR, code, "%s: %s", call->error_type, call->error_message);
  g_free (call->error_type);
  g_free (call->error_message);
  return FALSE;
}

gboolean
wharf_sandbox_create_repository (WharfSandbox *self,
                                 const char   *region,
                                 const char   *name,
                                 GError      **error)
{
  SbCall call = { 0 };

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (name, FALSE);

  call.registry = default_registry (self, region);
  call.operation = "CreateRepository";
  call.now = wharf_sandbox_get_now (self);
  call.token_key = sb_sandbox_get_token_key (self);
  if (!sb_create_repository (&call, name))
    return call_error (&call, error);
  sb_sandbox_changed (self);
  return TRUE;
}

char *
wharf_sandbox_push_image (WharfSandbox *self,
                          const char   *region,
                          const char   *repository,
                          const char   *tag,
                          guint64       size,
                          GError      **error)
{
  static guint64 serial;
  g_autofree char *manifest = NULL;
  SbCall call = { 0 };
  SbRepo *repo;
  SbImage *image;

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (repository, NULL);

  call.registry = default_registry (self, region);
  call.operation = "PutImage";
  call.now = wharf_sandbox_get_now (self);
  call.token_key = sb_sandbox_get_token_key (self);
  repo = g_hash_table_lookup (call.registry->by_name, repository);
  if (!repo)
    {
      g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_NOT_FOUND,
                   "RepositoryNotFoundException: The repository with name '%s' does not exist "
                   "in the registry with id '%s'", repository, call.registry->account);
      return NULL;
    }
  manifest = sb_generate_manifest (g_get_real_time () + serial++, size, 3, FALSE);
  image = sb_put_image (&call, repo, manifest, NULL, tag, NULL);
  if (!image)
    {
      call_error (&call, error);
      return NULL;
    }
  sb_sandbox_changed (self);
  return g_strdup (image->digest);
}

static SbRepo *
lookup_repo (WharfSandbox *self,
             const char   *region,
             const char   *name)
{
  return g_hash_table_lookup (default_registry (self, region)->by_name, name);
}

gboolean
wharf_sandbox_has_repository (WharfSandbox *self,
                              const char   *region,
                              const char   *name)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), FALSE);
  return lookup_repo (self, region, name) != NULL;
}

gboolean
wharf_sandbox_set_lifecycle_preview_polls (WharfSandbox *self,
                                           const char   *region,
                                           const char   *repository,
                                           guint         n_polls,
                                           GError      **error)
{
  SbRepo *repo;

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (repository, FALSE);

  repo = lookup_repo (self, region, repository);
  if (!repo)
    {
      g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_NOT_FOUND,
                   "RepositoryNotFoundException: The repository with name '%s' does not exist",
                   repository);
      return FALSE;
    }
  repo->preview_polls = n_polls;
  return TRUE;
}

guint
wharf_sandbox_get_n_repositories (WharfSandbox *self,
                                  const char   *region)
{
  g_return_val_if_fail (WHARF_IS_SANDBOX (self), 0);
  return default_registry (self, region)->repos->len;
}

int
wharf_sandbox_count_images (WharfSandbox *self,
                            const char   *region,
                            const char   *repository,
                            const char   *tag_status)
{
  SbRepo *repo;
  int n = 0;

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), -1);
  repo = lookup_repo (self, region, repository);
  if (!repo)
    return -1;
  for (guint i = 0; i < repo->images->len; i++)
    {
      SbImage *image = repo->images->pdata[i];

      if (!tag_status || g_str_equal (tag_status, "ANY")
          || (g_str_equal (tag_status, "TAGGED") && image->tags->len > 0)
          || (g_str_equal (tag_status, "UNTAGGED") && image->tags->len == 0))
        n++;
    }
  return n;
}

char *
wharf_sandbox_lookup_tag (WharfSandbox *self,
                          const char   *region,
                          const char   *repository,
                          const char   *tag)
{
  SbRepo *repo;
  SbImage *image;

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), NULL);
  repo = lookup_repo (self, region, repository);
  image = repo ? g_hash_table_lookup (repo->by_tag, tag) : NULL;
  return image ? g_strdup (image->digest) : NULL;
}

JsonObject *
wharf_sandbox_dup_repository (WharfSandbox *self,
                              const char   *region,
                              const char   *name)
{
  SbRepo *repo;
  JsonObject *o;

  g_return_val_if_fail (WHARF_IS_SANDBOX (self), NULL);
  repo = lookup_repo (self, region, name);
  if (!repo)
    return NULL;
  o = sb_repo_to_json (default_registry (self, region), repo);
  json_object_set_int_member (o, "imageCount", repo->images->len);
  return o;
}
