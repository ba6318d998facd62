/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Seeds: "empty"; "demo", a dozen realistic repositories (namespaces, tagged and untagged
 * images, multi-arch indexes with their child manifests, completed scans, lifecycle and
 * repository policies, resource tags, every tag mutability and encryption type);
 * "big", demo plus repository "big" with 10,000 images; "many", demo plus 10,000 empty
 * repositories "many/repo-00000" … "many/repo-09999".
 * Images go through the same code as PutImage, so digests and sizes are real.
 */
#define G_LOG_DOMAIN "wharf-sandbox-seed"

#include "config.h"

#include <glib/gi18n.h>

#include "wharf-sandbox-private.h"

#define DAY SB_USEC_PER_DAY
#define MB ((guint64) 1024 * 1024)

static const char *const known_seeds[] = { "empty", "demo", "big", "many", NULL };

gboolean
sb_seed_is_known (const char *seed)
{
  return g_strv_contains (known_seeds, seed);
}

typedef struct
{
  SbCall  call;
  gint64  base;   /* the time the seed is applied */
  guint64 serial; /* makes every generated manifest distinct */
} Seeder;

static SbRepo *
repo (Seeder     *s,
      const char *name,
      int         age_days)
{
  SbRepo *r;

  s->call.now = s->base - (gint64) age_days * DAY;
  r = sb_create_repository (&s->call, name);
  g_assert (r);
  return r;
}

static void
resource_tag (SbRepo     *r,
              const char *key,
              const char *value)
{
  g_ptr_array_add (r->tag_keys, g_strdup (key));
  g_ptr_array_add (r->tag_values, g_strdup (value));
}

/* Pushes a generated image @age_hours ago with @tags (NULL-terminated, may be empty). */
static SbImage *
image_full (Seeder            *s,
            SbRepo            *r,
            double             age_days,
            guint64            size,
            gboolean           oci,
            gboolean           scanned,
            const char *const *tags)
{
  g_autofree char *manifest = NULL;
  SbImage *image;

  s->serial++;
  manifest = sb_generate_manifest (s->serial, size, 3 + s->serial % 5, oci);

  s->call.now = s->base - (gint64) (age_days * DAY);
  image = sb_put_image (&s->call, r, manifest, NULL, tags && tags[0] ? tags[0] : NULL, NULL);
  g_assert (image);
  for (guint i = 1; tags && tags[0] && tags[i]; i++)
    sb_repo_attach_tag (r, image, tags[i]);
  if (scanned)
    image->scan_started = image->pushed_at;
  return image;
}

#define TAGS(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define NO_TAGS ((const char *const[]) { NULL })

static SbImage *
image (Seeder            *s,
       SbRepo            *r,
       double             age_days,
       guint64            size,
       const char *const *tags)
{
  return image_full (s, r, age_days, size, FALSE, TRUE, tags);
}

/* A multi-arch image index (OCI, or a Docker manifest list) with its child manifests. */
static SbImage *
index_image (Seeder            *s,
             SbRepo            *r,
             double             age_days,
             guint64            size,
             gboolean           oci,
             const char *const *tags)
{
  static const char *const archs[][3] = {
    { "amd64", "linux", NULL }, { "arm64", "linux", "v8" }, { "arm", "linux", "v7" },
  };
  GString *m = g_string_new (NULL);
  SbImage *image;

  g_string_append_printf (m, "{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"%s\",\n   \"manifests\": [",
                          oci ? "application/vnd.oci.image.index.v1+json"
                              : "application/vnd.docker.distribution.manifest.list.v2+json");
  for (guint i = 0; i < G_N_ELEMENTS (archs); i++)
    {
      SbImage *child = image_full (s, r, age_days + 0.001, size - i * 3 * MB, oci, FALSE, NO_TAGS);

      g_string_append_printf (m, "%s\n      {\n         \"mediaType\": \"%s\",\n"
                              "         \"size\": %zu,\n         \"digest\": \"%s\",\n"
                              "         \"platform\": {\n            \"architecture\": \"%s\",\n"
                              "            \"os\": \"%s\"%s%s%s\n         }\n      }",
                              i > 0 ? "," : "", child->media_type, strlen (child->manifest),
                              child->digest, archs[i][0], archs[i][1],
                              archs[i][2] ? ",\n            \"variant\": \"" : "",
                              archs[i][2] ? archs[i][2] : "", archs[i][2] ? "\"" : "");
    }
  g_string_append (m, "\n   ]\n}");
  s->call.now = s->base - (gint64) (age_days * DAY);
  image = sb_put_image (&s->call, r, m->str, NULL, tags[0], NULL);
  g_assert (image);
  for (guint i = 1; tags[0] && tags[i]; i++)
    sb_repo_attach_tag (r, image, tags[i]);
  g_string_free (m, TRUE);
  return image;
}

static const char keep_ten_policy[] =
  "{\n  \"rules\": [\n    {\n      \"rulePriority\": 1,\n"
  "      \"description\": \"Expire untagged images after 14 days\",\n"
  "      \"selection\": {\n        \"tagStatus\": \"untagged\",\n"
  "        \"countType\": \"sinceImagePushed\",\n        \"countUnit\": \"days\",\n"
  "        \"countNumber\": 14\n      },\n      \"action\": { \"type\": \"expire\" }\n    },\n"
  "    {\n      \"rulePriority\": 2,\n      \"description\": \"Keep the last 10 builds\",\n"
  "      \"selection\": {\n        \"tagStatus\": \"tagged\",\n"
  "        \"tagPatternList\": [\"build-*\"],\n        \"countType\": \"imageCountMoreThan\",\n"
  "        \"countNumber\": 10\n      },\n      \"action\": { \"type\": \"expire\" }\n    }\n  ]\n}";

static const char release_policy[] =
  "{\n  \"rules\": [\n    {\n      \"rulePriority\": 10,\n"
  "      \"description\": \"Keep the 5 newest release candidates\",\n"
  "      \"selection\": {\n        \"tagStatus\": \"tagged\",\n"
  "        \"tagPrefixList\": [\"rc-\"],\n        \"countType\": \"imageCountMoreThan\",\n"
  "        \"countNumber\": 5\n      },\n      \"action\": { \"type\": \"expire\" }\n    },\n"
  "    {\n      \"rulePriority\": 20,\n      \"description\": \"Drop untagged images after a week\",\n"
  "      \"selection\": {\n        \"tagStatus\": \"untagged\",\n"
  "        \"countType\": \"sinceImagePushed\",\n        \"countUnit\": \"days\",\n"
  "        \"countNumber\": 7\n      },\n      \"action\": { \"type\": \"expire\" }\n    }\n  ]\n}";

static const char pull_policy_fmt[] =
  "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n"
  "      \"Sid\": \"AllowPullFromCiAccount\",\n      \"Effect\": \"Allow\",\n"
  "      \"Principal\": { \"AWS\": \"arn:aws:iam::%s:root\" },\n"
  "      \"Action\": [\n        \"ecr:BatchGetImage\",\n        \"ecr:GetDownloadUrlForLayer\",\n"
  "        \"ecr:BatchCheckLayerAvailability\"\n      ]\n    }\n  ]\n}";

static void
seed_demo (Seeder *s)
{
  SbRepo *r;

  /* team-a/api: a service with releases, release candidates, untagged leftovers */
  r = repo (s, "team-a/api", 240);
  r->scan_on_push = TRUE;
  resource_tag (r, "team", "team-a");
  resource_tag (r, "environment", "production");
  resource_tag (r, "cost-center", "cc-1042");
  image (s, r, 120, 182 * MB, NO_TAGS);
  image (s, r, 95, 184 * MB, TAGS ("v1.0.0"));
  image (s, r, 80, 185 * MB, TAGS ("v1.1.0"));
  image (s, r, 61, 185 * MB, NO_TAGS);
  image (s, r, 60, 186 * MB, TAGS ("v1.2.0"));
  for (int i = 1; i <= 7; i++)
    {
      g_autofree char *tag = g_strdup_printf ("rc-1.3.0-%d", i);

      image (s, r, 40 - i * 2, 187 * MB + i * 100000, TAGS (tag));
    }
  image (s, r, 20, 188 * MB, TAGS ("v1.3.0", "stable"));
  image (s, r, 9, 188 * MB, NO_TAGS);
  image (s, r, 2, 191 * MB, TAGS ("v1.4.0", "latest"));
  r->lifecycle_policy = g_strdup (release_policy);
  r->lifecycle_put_at = s->base;

  /* team-a/web: multi-arch, immutable releases except latest and dev builds */
  r = repo (s, "team-a/web", 200);
  g_free (r->tag_mutability);
  r->tag_mutability = g_strdup ("IMMUTABLE_WITH_EXCLUSION");
  g_ptr_array_add (r->mutability_filters, g_strdup ("latest"));
  g_ptr_array_add (r->mutability_filters, g_strdup ("dev-*"));
  resource_tag (r, "team", "team-a");
  index_image (s, r, 70, 48 * MB, TRUE, TAGS ("2.2.0"));
  index_image (s, r, 30, 51 * MB, TRUE, TAGS ("2.3.0"));
  index_image (s, r, 4, 52 * MB, TRUE, TAGS ("2.4.0", "latest"));
  image_full (s, r, 1, 53 * MB, TRUE, FALSE, TAGS ("dev-feature-login"));

  /* team-a/worker: KMS with the AWS managed key */
  r = repo (s, "team-a/worker", 180);
  g_free (r->encryption_type);
  r->encryption_type = g_strdup ("KMS");
  r->kms_key = g_strdup_printf ("arn:aws:kms:%s:%s:key/6f1c3e2a-8d4b-4c9e-a1f7-2b5d9e0c4a13",
                                s->call.registry->region, s->call.registry->account);
  image (s, r, 33, 97 * MB, TAGS ("v3.1.0"));
  image (s, r, 12, 98 * MB, TAGS ("v3.2.0", "latest"));

  /* team-b/payments: immutable, dual-layer encryption, a repository policy */
  r = repo (s, "team-b/payments", 300);
  g_free (r->tag_mutability);
  r->tag_mutability = g_strdup ("IMMUTABLE");
  g_free (r->encryption_type);
  r->encryption_type = g_strdup ("KMS_DSSE");
  r->kms_key = g_strdup_printf ("arn:aws:kms:%s:%s:key/0b7d5f9e-3c2a-4e81-9f6d-7a4c1e8b2d50",
                                s->call.registry->region, s->call.registry->account);
  r->scan_on_push = TRUE;
  r->policy = g_strdup_printf (pull_policy_fmt, "444455556666");
  resource_tag (r, "team", "team-b");
  resource_tag (r, "compliance", "pci-dss");
  image (s, r, 150, 212 * MB, TAGS ("2024.11.1"));
  image (s, r, 90, 215 * MB, TAGS ("2025.01.2"));
  image (s, r, 14, 219 * MB, TAGS ("2025.03.0"));

  /* team-b/ledger: a Docker manifest list */
  r = repo (s, "team-b/ledger", 100);
  index_image (s, r, 25, 76 * MB, FALSE, TAGS ("1.8.2"));
  index_image (s, r, 6, 77 * MB, FALSE, TAGS ("1.9.0", "latest"));

  /* tools/ci-runner: many builds and a lifecycle policy that keeps ten */
  r = repo (s, "tools/ci-runner", 365);
  r->lifecycle_policy = g_strdup (keep_ten_policy);
  r->lifecycle_put_at = s->base;
  resource_tag (r, "team", "platform");
  for (int i = 1; i <= 24; i++)
    {
      g_autofree char *tag = g_strdup_printf ("build-%d", 1000 + i);

      image_full (s, r, 60 - i * 2.4, 640 * MB + i * MB, FALSE, i > 20, TAGS (tag));
      if (i % 6 == 0)
        image_full (s, r, 60 - i * 2.4 + 0.1, 630 * MB, FALSE, FALSE, NO_TAGS);
    }

  /* tools/terraform */
  r = repo (s, "tools/terraform", 150);
  image (s, r, 45, 89 * MB, TAGS ("1.6.6"));
  image (s, r, 3, 92 * MB, TAGS ("1.7.4", "latest"));

  /* nginx-custom: a familiar name for the tutorial */
  r = repo (s, "nginx-custom", 90);
  r->scan_on_push = TRUE;
  image (s, r, 50, 67 * MB, TAGS ("1.24.0"));
  image (s, r, 18, 70 * MB, NO_TAGS);
  image (s, r, 17, 70 * MB, TAGS ("1.25.3", "1.25", "stable"));
  image (s, r, 0.5, 71 * MB, TAGS ("latest"));

  /* postgres-backup: scanning off, never scanned */
  r = repo (s, "postgres-backup", 60);
  image_full (s, r, 30, 154 * MB, FALSE, FALSE, TAGS ("15"));
  image_full (s, r, 10, 156 * MB, FALSE, FALSE, TAGS ("16", "latest"));

  /* ml/inference-gpu: huge images */
  r = repo (s, "ml/inference-gpu", 75);
  resource_tag (r, "team", "ml");
  image (s, r, 40, (guint64) 4700 * MB, TAGS ("cuda12.2-v0.9"));
  image (s, r, 8, (guint64) 5100 * MB, TAGS ("cuda12.4-v1.0", "latest"));

  /* data/etl-jobs: untagged only */
  r = repo (s, "data/etl-jobs", 45);
  image_full (s, r, 20, 310 * MB, FALSE, FALSE, NO_TAGS);
  image_full (s, r, 5, 312 * MB, FALSE, FALSE, NO_TAGS);

  /* sandbox/hello-world: tiny and new */
  r = repo (s, "sandbox/hello-world", 1);
  image (s, r, 0.2, 13256, TAGS ("latest"));

  /* legacy/monolith: empty, kept for history */
  r = repo (s, "legacy/monolith", 900);
  resource_tag (r, "status", "deprecated");
}

static void
seed_big (Seeder *s)
{
  SbRepo *r = repo (s, "big", 400);

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *manifest = sb_generate_manifest (1000000 + i, 50 * MB + (i % 977) * 131072, 2 + i % 3, FALSE);
      g_autofree char *tag = g_strdup_printf ("build-%05u", i);
      SbImage *im;

      s->call.now = s->base - (gint64) (10000 - i) * (DAY / 30);
      im = sb_put_image (&s->call, r, manifest, NULL, i % 5 == 4 ? NULL : tag, NULL);
      g_assert (im);
      if (i % 50 == 0)
        {
          g_autofree char *release = g_strdup_printf ("release-%u", i / 50);

          sb_repo_attach_tag (r, im, release);
        }
    }
}

static void
seed_many (Seeder *s)
{
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf ("many/repo-%05u", i);

      repo (s, name, 10000 - i < 500 ? 1 : 30);
    }
}

gboolean
sb_seed_registry (SbRegistry *registry,
                  const char *seed,
                  gint64      now,
                  GError    **error)
{
  Seeder s = { { 0 } };

  if (!sb_seed_is_known (seed))
    {
      g_set_error (error, WHARF_SANDBOX_ERROR, WHARF_SANDBOX_ERROR_SEED,
                   _("Unknown seed “%s” (known: empty, demo, big, many)"), seed);
      return FALSE;
    }
  s.call.registry = registry;
  s.call.operation = "Seed";
  s.base = now;
  if (!g_str_equal (seed, "empty"))
    seed_demo (&s);
  if (g_str_equal (seed, "big"))
    seed_big (&s);
  if (g_str_equal (seed, "many"))
    seed_many (&s);
  g_free (s.call.error_type);
  g_free (s.call.error_message);
  return TRUE;
}
