/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzzes the sandbox's operation handlers in-process, statefully: each input line is
 *   OPERATION SP JSON-BODY
 * run in order against a fresh copy of the registry seeded with "demo" (so later calls see what
 * earlier ones created, deleted or pushed). A line "+" moves the sandbox clock a day on
 * (scans finish, lifecycle ages grow). Every call must either return an output object or
 * fail with an ECR error type and message, never both or neither. At the end the registry
 * is saved and loaded again, as the state file is. An input whose first line starts with
 * '{' is a saved registry instead (a corrupt state file must be an error, not a crash).
 */
#define G_LOG_DOMAIN "fuzz-sandbox-ops"

#include "config.h"

#include <string.h>

#define FUZZ_OWN_INITIALIZE
#include "fuzz-common.h"
#include "wharf-sandbox-private.h"

/* 2026-11-27T08:00:00Z */
#define FUZZ_NOW ((gint64) 1795766400 * G_USEC_PER_SEC)
#define MAX_CALLS 64

static const guint8 token_key[32] = "wharf-fuzz-token-key-0123456789";

/* The "demo" registry, saved once: seeding generates and hashes manifests, which is too slow
 * to repeat for every input; loading the saved state gives the same registry. */
static JsonNode *demo_state;
/* WHARF_FUZZ_NO_ROUNDTRIP=1 skips the final save and load, to look for other findings while
 * a leak in saving is open. */
static gboolean roundtrip = TRUE;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  SbRegistry *registry;

  fuzz_init_logging ();
  roundtrip = !g_getenv ("WHARF_FUZZ_NO_ROUNDTRIP");
  registry = sb_registry_new (WHARF_SANDBOX_PRACTICE_ACCOUNT_ID, WHARF_SANDBOX_DEFAULT_REGION);
  if (!sb_seed_registry (registry, "demo", FUZZ_NOW, &error))
    fuzz_fail ("seeding failed: %s", error->message);
  demo_state = sb_registry_serialize (registry);
  sb_registry_free (registry);
  return 0;
}

static void
load_state (const char *text,
            gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  SbRegistry *registry;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, len, NULL))
    return;
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  registry = sb_registry_deserialize (json_node_get_object (root), &error);
  if (!registry)
    {
      g_assert (error != NULL && error->message != NULL);
      return;
    }
  {
    /* A state that loaded must save. */
    g_autoptr(JsonNode) saved = sb_registry_serialize (registry);

    g_assert (saved != NULL);
  }
  sb_registry_free (registry);
}

static void
run_call (SbRegistry *registry,
          gint64      now,
          const char *operation,
          const char *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonObject) output = NULL;
  SbOperationFunc func = sb_lookup_operation (operation);
  SbCall call = { 0 };
  JsonNode *root;

  if (!func)
    return;
  /* The HTTP layer answers SerializationException itself for a body that is not a JSON
   * object; the handlers get objects only. */
  if (!json_parser_load_from_data (parser, body, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  call.registry = registry;
  call.operation = operation;
  call.now = now;
  call.token_key = token_key;
  call.status = 200;
  output = func (&call, json_node_get_object (root));

  if (call.error_type)
    {
      g_assert (output == NULL);
      g_assert (call.error_message != NULL);
      g_assert (call.status >= 400 && call.status < 600);
    }
  else
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      g_assert (output != NULL);
      node = json_node_init_object (json_node_alloc (), output);
      json_generator_set_root (gen, node);
      text = json_generator_to_data (gen, NULL);
      g_assert (text != NULL);
    }
  g_free (call.error_type);
  g_free (call.error_message);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  SbRegistry *registry;
  gint64 now = FUZZ_NOW;
  guint n_calls = 0;

  if (text[0] == '{')
    {
      load_state (text, strlen (text));
      return 0;
    }

  registry = sb_registry_deserialize (json_node_get_object (demo_state), &error);
  if (!registry)
    fuzz_fail ("the demo state does not load: %s", error->message);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] && n_calls < MAX_CALLS; i++)
    {
      char *space;

      if (g_str_equal (lines[i], "+"))
        {
          now += SB_USEC_PER_DAY;
          continue;
        }
      space = strchr (lines[i], ' ');
      if (!space)
        continue;
      *space = '\0';
      run_call (registry, now, lines[i], space + 1);
      n_calls++;
    }

  if (roundtrip)
    {
      g_autoptr(JsonNode) saved = sb_registry_serialize (registry);
      SbRegistry *loaded = sb_registry_deserialize (json_node_get_object (saved), &error);

      if (!loaded)
        fuzz_fail ("a saved registry does not load: %s", error->message);
      sb_registry_free (loaded);
    }
  sb_registry_free (registry);
  return 0;
}
