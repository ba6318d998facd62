/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ecr-models"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "wharf-ecr-client.h"

static JsonObject *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

typedef gpointer (*NewFromJson) (JsonObject *object, GError **error);

/* @text must be rejected with WHARF_ECR_ERROR_INVALID_DATA and a message naming @member. */
static void
assert_rejected (NewFromJson  new_from_json,
                 const char  *text,
                 const char  *member)
{
  g_autoptr(JsonObject) object = parse (text);
  g_autoptr(GError) error = NULL;
  gpointer result = new_from_json (object, &error);

  if (result)
    g_error ("accepted: %s", text);
  g_assert_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA);
  if (member && !strstr (error->message, member))
    g_error ("“%s” does not name “%s” (input %s)", error->message, member, text);
}

static gpointer
accept (NewFromJson  new_from_json,
        const char  *text)
{
  g_autoptr(JsonObject) object = parse (text);
  g_autoptr(GError) error = NULL;
  gpointer result = new_from_json (object, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

#define REPOSITORY_FULL \
  "{\"repositoryArn\": \"arn:aws:ecr:us-east-1:111122223333:repository/team/web\"," \
  " \"registryId\": \"111122223333\", \"repositoryName\": \"team/web\"," \
  " \"repositoryUri\": \"111122223333.dkr.ecr.us-east-1.amazonaws.com/team/web\"," \
  " \"createdAt\": 1700000000.5, \"imageTagMutability\": \"IMMUTABLE_WITH_EXCLUSION\"," \
  " \"imageTagMutabilityExclusionFilters\": [{\"filterType\": \"WILDCARD\", \"filter\": \"latest\"}," \
  "   {\"filterType\": \"WILDCARD\", \"filter\": \"dev-*\"}]," \
  " \"imageScanningConfiguration\": {\"scanOnPush\": true}," \
  " \"encryptionConfiguration\": {\"encryptionType\": \"KMS\", \"kmsKey\": \"alias/ecr\"}," \
  " \"someFutureMember\": {\"nested\": [1, 2, 3]}}"

static void
test_repository (void)
{
  g_autoptr(WharfRepository) repository = accept ((NewFromJson) wharf_repository_new_from_json,
                                                  REPOSITORY_FULL);
  const char * const *filters = wharf_repository_get_exclusion_filters (repository);
  g_autofree char *name = NULL;
  g_autoptr(GDateTime) created = NULL;
  WharfTagMutability mutability;

  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "team/web");
  g_assert_cmpstr (wharf_repository_get_namespace (repository), ==, "team");
  g_assert_cmpstr (wharf_repository_get_short_name (repository), ==, "web");
  g_assert_cmpstr (wharf_repository_get_registry_id (repository), ==, "111122223333");
  g_assert_cmpstr (wharf_repository_get_uri (repository), ==,
                   "111122223333.dkr.ecr.us-east-1.amazonaws.com/team/web");
  g_assert_cmpint (g_date_time_to_unix (wharf_repository_get_created_at (repository)), ==, 1700000000);
  g_assert_cmpint (g_date_time_get_microsecond (wharf_repository_get_created_at (repository)), ==, 500000);
  g_assert_cmpint (wharf_repository_get_tag_mutability (repository), ==,
                   WHARF_TAG_MUTABILITY_IMMUTABLE_WITH_EXCLUSION);
  g_assert_cmpuint (g_strv_length ((char **) filters), ==, 2);
  g_assert_cmpstr (filters[1], ==, "dev-*");
  g_assert_true (wharf_repository_get_scan_on_push (repository));
  g_assert_cmpint (wharf_repository_get_encryption_type (repository), ==, WHARF_ENCRYPTION_TYPE_KMS);
  g_assert_cmpstr (wharf_repository_get_kms_key (repository), ==, "alias/ecr");

  /* Properties work for GtkExpression lookups. */
  g_object_get (repository, "name", &name, "created-at", &created, "tag-mutability", &mutability, NULL);
  g_assert_cmpstr (name, ==, "team/web");
  g_assert_nonnull (created);
  g_assert_cmpint (mutability, ==, WHARF_TAG_MUTABILITY_IMMUTABLE_WITH_EXCLUSION);
}

static void
test_repository_minimal (void)
{
  g_autoptr(WharfRepository) repository =
    accept ((NewFromJson) wharf_repository_new_from_json,
            "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\", \"createdAt\": null}");

  g_assert_null (wharf_repository_get_namespace (repository));
  g_assert_cmpstr (wharf_repository_get_short_name (repository), ==, "web");
  g_assert_null (wharf_repository_get_created_at (repository));
  g_assert_cmpint (wharf_repository_get_tag_mutability (repository), ==, WHARF_TAG_MUTABILITY_MUTABLE);
  g_assert_cmpint (wharf_repository_get_encryption_type (repository), ==, WHARF_ENCRYPTION_TYPE_AES256);
  g_assert_false (wharf_repository_get_scan_on_push (repository));
  g_assert_cmpuint (g_strv_length ((char **) wharf_repository_get_exclusion_filters (repository)), ==, 0);
}

static void
test_repository_rejected (void)
{
  NewFromJson f = (NewFromJson) wharf_repository_new_from_json;

  assert_rejected (f, "{\"repositoryArn\": \"arn:x\"}", "repositoryName");
  assert_rejected (f, "{\"repositoryName\": null, \"repositoryArn\": \"arn:x\"}", "repositoryName");
  assert_rejected (f, "{\"repositoryName\": \"web\"}", "repositoryArn");
  assert_rejected (f, "{\"repositoryName\": 42, \"repositoryArn\": \"arn:x\"}", "repositoryName");
  assert_rejected (f, "{\"repositoryName\": [\"web\"], \"repositoryArn\": \"arn:x\"}", "repositoryName");
  assert_rejected (f, "{\"repositoryName\": \"\", \"repositoryArn\": \"arn:x\"}", "repositoryName");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\", \"createdAt\": \"yesterday\"}", "createdAt");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\", \"createdAt\": 1e300}", "createdAt");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\", \"createdAt\": -5}", "createdAt");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\", \"createdAt\": {}}", "createdAt");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\", \"imageScanningConfiguration\": {\"scanOnPush\": \"yes\"}}", "scanOnPush");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\", \"imageScanningConfiguration\": [true]}", "imageScanningConfiguration");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\", \"encryptionConfiguration\": {}}", "encryptionType");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\", \"imageTagMutabilityExclusionFilters\": [\"latest\"]}", "imageTagMutabilityExclusionFilters");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\", \"imageTagMutabilityExclusionFilters\": [{\"filterType\": \"WILDCARD\"}]}", "filter");
}

/* A value a newer ECR may send keeps the repository (tests/test-ecr-reader.c checks that the
 * listing's fast path agrees). */
static void
test_repository_unknown_enums (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WharfRepository) repository = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser,
                                             "{\"repositoryName\": \"web\", \"repositoryArn\": \"arn:x\","
                                             " \"imageTagMutability\": \"SOMETIMES\","
                                             " \"encryptionConfiguration\": {\"encryptionType\": \"ROT13\"}}",
                                             -1, NULL));
  repository = wharf_repository_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wharf_repository_get_name (repository), ==, "web");
  g_assert_cmpint (wharf_repository_get_tag_mutability (repository), ==,
                   WHARF_TAG_MUTABILITY_UNKNOWN);
  g_assert_cmpint (wharf_repository_get_encryption_type (repository), ==,
                   WHARF_ENCRYPTION_TYPE_UNKNOWN);
}

#define IMAGE_FULL \
  "{\"registryId\": \"111122223333\", \"repositoryName\": \"web\"," \
  " \"imageDigest\": \"sha256:aaaa\", \"imageTags\": [\"v2\", \"latest\"]," \
  " \"imageSizeInBytes\": 52428800, \"imagePushedAt\": 1700000000," \
  " \"lastRecordedPullTime\": 1700003600.25," \
  " \"imageScanStatus\": {\"status\": \"COMPLETE\", \"description\": \"The scan was completed successfully.\"}," \
  " \"imageScanFindingsSummary\": {\"imageScanCompletedAt\": 1700000100," \
  "   \"vulnerabilitySourceUpdatedAt\": 1699990000," \
  "   \"findingSeverityCounts\": {\"CRITICAL\": 1, \"HIGH\": 2, \"MEDIUM\": 3, \"LOW\": 4, \"INFORMATIONAL\": 5}}," \
  " \"imageManifestMediaType\": \"application/vnd.oci.image.manifest.v1+json\"," \
  " \"artifactMediaType\": \"application/vnd.oci.image.config.v1+json\", \"imageStatus\": \"ACTIVE\"}"

static void
test_image (void)
{
  g_autoptr(WharfImage) image = accept ((NewFromJson) wharf_image_new_from_json, IMAGE_FULL);
  g_autofree char *tags_text = NULL;
  int critical = 0, undefined = 0;
  gboolean is_tagged = FALSE;

  g_assert_cmpstr (wharf_image_get_digest (image), ==, "sha256:aaaa");
  g_assert_cmpstr (wharf_image_get_repository_name (image), ==, "web");
  g_assert_cmpstr (wharf_image_get_registry_id (image), ==, "111122223333");
  g_assert_cmpstr (wharf_image_get_tags (image)[1], ==, "latest");
  g_assert_cmpint (wharf_image_get_size (image), ==, 52428800);
  g_assert_cmpint (g_date_time_to_unix (wharf_image_get_pushed_at (image)), ==, 1700000000);
  g_assert_nonnull (wharf_image_get_last_recorded_pull_time (image));
  g_assert_cmpint (wharf_image_get_scan_status (image), ==, WHARF_SCAN_STATUS_COMPLETE);
  g_assert_true (wharf_image_get_has_scan_summary (image));
  g_assert_cmpint (wharf_image_get_severity_count (image, WHARF_SEVERITY_HIGH), ==, 2);
  g_assert_cmpint (wharf_image_get_total_findings (image), ==, 15);
  g_assert_cmpstr (wharf_image_get_image_manifest_media_type (image), ==,
                   "application/vnd.oci.image.manifest.v1+json");
  g_assert_nonnull (wharf_image_get_scan_completed_at (image));

  g_object_get (image, "tags-text", &tags_text, "critical", &critical, "undefined", &undefined,
                "is-tagged", &is_tagged, NULL);
  g_assert_cmpstr (tags_text, ==, "v2, latest");
  g_assert_cmpint (critical, ==, 1);
  g_assert_cmpint (undefined, ==, 0);
  g_assert_true (is_tagged);
}

/* The compact storage (issue #10) keeps what the getters give: times to the microsecond,
 * before 1970 too, the same values through GDateTime and microseconds, and repeated
 * strings shared between images. */
static void
test_image_compact (void)
{
  g_autoptr(WharfImage) a = accept ((NewFromJson) wharf_image_new_from_json, IMAGE_FULL);
  g_autoptr(WharfImage) b = NULL;
  g_autoptr(GDateTime) old = g_date_time_new_utc (1969, 12, 31, 23, 59, 58.75);
  g_autoptr(GDateTime) completed = g_date_time_new_utc (2024, 2, 29, 12, 0, 0.5);
  const char *tags[] = { "a", "bb", "", NULL };
  GDateTime *pulled;
  WharfImageFields fields = { 0 };
  g_auto(GStrv) tags_copy = NULL;

  pulled = wharf_image_get_last_recorded_pull_time (a);
  g_assert_cmpint (g_date_time_to_unix (pulled), ==, 1700003600);
  g_assert_cmpint (g_date_time_get_microsecond (pulled), ==, 250000);
  g_assert_true (wharf_image_get_last_recorded_pull_time (a) == pulled);   /* kept */
  g_assert_cmpint (wharf_image_get_last_recorded_pull_time_usec (a), ==,
                   G_GINT64_CONSTANT (1700003600250000));
  g_assert_cmpint (wharf_image_get_pushed_at_usec (a), ==,
                   G_GINT64_CONSTANT (1700000000000000));
  g_assert_cmpint (g_date_time_to_unix (wharf_image_get_scan_completed_at (a)), ==, 1700000100);

  fields.digest = "sha256:bbbb";
  fields.repository_name = "web";
  fields.registry_id = "111122223333";
  fields.tags = tags;
  fields.size = -1;
  fields.pushed_at = old;
  fields.image_manifest_media_type = "application/vnd.oci.image.manifest.v1+json";
  b = wharf_image_new_from_fields (&fields);

  g_assert_true (wharf_image_get_repository_name (a) == wharf_image_get_repository_name (b));
  g_assert_true (wharf_image_get_registry_id (a) == wharf_image_get_registry_id (b));
  g_assert_true (wharf_image_get_image_manifest_media_type (a) ==
                 wharf_image_get_image_manifest_media_type (b));
  g_assert_null (wharf_image_get_artifact_media_type (b));
  g_assert_true (g_date_time_equal (wharf_image_get_pushed_at (b), old));
  g_assert_cmpint (wharf_image_get_pushed_at_usec (b), ==, G_GINT64_CONSTANT (-1250000));
  g_assert_null (wharf_image_get_last_recorded_pull_time (b));
  g_assert_cmpint (wharf_image_get_last_recorded_pull_time_usec (b), ==, G_MININT64);
  g_assert_null (wharf_image_get_scan_completed_at (b));

  g_object_get (b, "tags", &tags_copy, NULL);
  g_assert_cmpstrv (tags_copy, tags);
  g_assert_cmpstrv (wharf_image_get_tags (b), tags);
  g_assert_cmpstr (wharf_image_get_tags_text (b), ==, "a, bb, ");

  wharf_image_set_scan_summary (b, WHARF_SCAN_STATUS_COMPLETE, NULL, NULL, completed);
  g_assert_true (g_date_time_equal (wharf_image_get_scan_completed_at (b), completed));
  wharf_image_set_scan_summary (b, WHARF_SCAN_STATUS_COMPLETE, NULL, NULL, NULL);
  g_assert_null (wharf_image_get_scan_completed_at (b));
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 int        *count)
{
  (*count)++;
}

static void
test_image_untagged_and_summary_update (void)
{
  g_autoptr(WharfImage) image =
    accept ((NewFromJson) wharf_image_new_from_json,
            "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:bbbb\"}");
  int counts[WHARF_N_SEVERITIES] = { 0, 1, 0, 0, 0, 7 };
  int notified = 0;

  g_assert_false (wharf_image_get_is_tagged (image));
  g_assert_cmpuint (g_strv_length ((char **) wharf_image_get_tags (image)), ==, 0);
  g_assert_nonnull (strstr (wharf_image_get_tags_text (image), "untagged"));
  g_assert_cmpint (wharf_image_get_size (image), ==, -1);
  g_assert_cmpint (wharf_image_get_scan_status (image), ==, WHARF_SCAN_STATUS_NONE);
  g_assert_false (wharf_image_get_has_scan_summary (image));
  g_assert_cmpint (wharf_image_get_severity_count (image, WHARF_SEVERITY_CRITICAL), ==, -1);
  g_assert_cmpint (wharf_image_get_total_findings (image), ==, -1);

  g_signal_connect (image, "notify::high", G_CALLBACK (notify_count_cb), &notified);
  wharf_image_set_scan_summary (image, WHARF_SCAN_STATUS_COMPLETE, NULL, counts, NULL);
  g_assert_cmpint (notified, ==, 1);
  g_assert_true (wharf_image_get_has_scan_summary (image));
  g_assert_cmpint (wharf_image_get_severity_count (image, WHARF_SEVERITY_HIGH), ==, 1);
  g_assert_cmpint (wharf_image_get_total_findings (image), ==, 8);
  /* The same again: no notification for an unchanged count. */
  wharf_image_set_scan_summary (image, WHARF_SCAN_STATUS_COMPLETE, NULL, counts, NULL);
  g_assert_cmpint (notified, ==, 1);
}

static void
test_image_rejected (void)
{
  NewFromJson f = (NewFromJson) wharf_image_new_from_json;

  assert_rejected (f, "{\"repositoryName\": \"web\"}", "imageDigest");
  assert_rejected (f, "{\"imageDigest\": \"sha256:a\"}", "repositoryName");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageTags\": \"latest\"}", "imageTags");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageTags\": [1]}", "imageTags");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageTags\": [null]}", "imageTags");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageSizeInBytes\": \"big\"}", "imageSizeInBytes");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageSizeInBytes\": -1}", "imageSizeInBytes");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageSizeInBytes\": 1.5}", "imageSizeInBytes");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageSizeInBytes\": 99999999999999999999999999}", "imageSizeInBytes");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageScanFindingsSummary\": {\"findingSeverityCounts\": {\"HIGH\": -3}}}", "HIGH");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageScanFindingsSummary\": {\"findingSeverityCounts\": {\"HIGH\": 4294967296}}}", "HIGH");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageScanFindingsSummary\": {\"findingSeverityCounts\": [1, 2]}}", "findingSeverityCounts");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imageScanStatus\": \"COMPLETE\"}", "imageScanStatus");
  assert_rejected (f, "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\", \"imagePushedAt\": true}", "imagePushedAt");
}

static void
test_image_unknown_scan_status (void)
{
  g_autoptr(WharfImage) image =
    accept ((NewFromJson) wharf_image_new_from_json,
            "{\"repositoryName\": \"web\", \"imageDigest\": \"sha256:a\","
            " \"imageScanStatus\": {\"status\": \"SOMETHING_NEW\"}}");

  /* A status added to ECR later must not break the listing. */
  g_assert_cmpint (wharf_image_get_scan_status (image), ==, WHARF_SCAN_STATUS_UNKNOWN);
}

static void
test_scan_finding (void)
{
  g_autoptr(WharfScanFinding) finding =
    accept ((NewFromJson) wharf_scan_finding_new_from_json,
            "{\"name\": \"CVE-2023-0001\", \"description\": \"Overflow\","
            " \"uri\": \"https://security-tracker.debian.org/tracker/CVE-2023-0001\","
            " \"severity\": \"HIGH\", \"attributes\": ["
            "   {\"key\": \"package_version\", \"value\": \"1.2.3\"},"
            "   {\"key\": \"package_name\", \"value\": \"openssl\"},"
            "   {\"key\": \"CVSS2_SCORE\", \"value\": \"5.0\"},"
            "   {\"key\": \"CVSS3_SCORE\", \"value\": \"7.5\"},"
            "   {\"key\": \"unknown\"}]}");
  g_autoptr(WharfScanFinding) bare =
    accept ((NewFromJson) wharf_scan_finding_new_from_json,
            "{\"name\": \"CVE-2023-0002\", \"severity\": \"LOW\","
            " \"attributes\": [{\"key\": \"CVSS3_SCORE\", \"value\": \"eleven\"}]}");
  double score = 0;

  g_assert_cmpstr (wharf_scan_finding_get_name (finding), ==, "CVE-2023-0001");
  g_assert_cmpint (wharf_scan_finding_get_severity (finding), ==, WHARF_SEVERITY_HIGH);
  g_assert_cmpstr (wharf_scan_finding_get_package_name (finding), ==, "openssl");
  g_assert_cmpstr (wharf_scan_finding_get_package_version (finding), ==, "1.2.3");
  g_assert_cmpfloat (wharf_scan_finding_get_cvss_score (finding), ==, 7.5);
  g_object_get (bare, "cvss-score", &score, NULL);
  g_assert_cmpfloat (score, <, 0);
  g_assert_null (wharf_scan_finding_get_package_name (bare));

  assert_rejected ((NewFromJson) wharf_scan_finding_new_from_json, "{\"severity\": \"HIGH\"}", "name");
  assert_rejected ((NewFromJson) wharf_scan_finding_new_from_json, "{\"name\": \"CVE\"}", "severity");
  assert_rejected ((NewFromJson) wharf_scan_finding_new_from_json,
                   "{\"name\": \"CVE\", \"severity\": \"APOCALYPTIC\"}", "severity");
  assert_rejected ((NewFromJson) wharf_scan_finding_new_from_json,
                   "{\"name\": \"CVE\", \"severity\": \"LOW\", \"attributes\": {\"key\": \"x\"}}", "attributes");
  assert_rejected ((NewFromJson) wharf_scan_finding_new_from_json,
                   "{\"name\": \"CVE\", \"severity\": \"LOW\", \"attributes\": [{\"value\": \"x\"}]}", "key");
}

static void
test_scan_finding_enhanced (void)
{
  g_autoptr(WharfScanFinding) finding =
    accept ((NewFromJson) wharf_scan_finding_new_from_enhanced_json,
            "{\"title\": \"CVE-2024-1 - curl\", \"severity\": \"CRITICAL\", \"score\": 9.8,"
            " \"packageVulnerabilityDetails\": {\"vulnerabilityId\": \"CVE-2024-1\","
            "   \"sourceUrl\": \"https://nvd.nist.gov/vuln/detail/CVE-2024-1\","
            "   \"vulnerablePackages\": [{\"name\": \"curl\", \"version\": \"7.88\"}]}}");

  g_assert_cmpstr (wharf_scan_finding_get_name (finding), ==, "CVE-2024-1");
  g_assert_cmpint (wharf_scan_finding_get_severity (finding), ==, WHARF_SEVERITY_CRITICAL);
  g_assert_cmpstr (wharf_scan_finding_get_package_name (finding), ==, "curl");
  g_assert_cmpfloat (wharf_scan_finding_get_cvss_score (finding), ==, 9.8);
  g_assert_cmpstr (wharf_scan_finding_get_uri (finding), ==, "https://nvd.nist.gov/vuln/detail/CVE-2024-1");

  assert_rejected ((NewFromJson) wharf_scan_finding_new_from_enhanced_json,
                   "{\"severity\": \"HIGH\"}", "vulnerabilityId");
  assert_rejected ((NewFromJson) wharf_scan_finding_new_from_enhanced_json,
                   "{\"title\": \"x\", \"severity\": \"HIGH\", \"score\": \"high\"}", "score");
}

static void
test_scan_result (void)
{
  g_autoptr(WharfScanResult) result =
    accept ((NewFromJson) wharf_scan_result_new_from_json,
            "{\"imageScanStatus\": {\"status\": \"COMPLETE\", \"description\": \"done\"},"
            " \"imageScanFindings\": {\"imageScanCompletedAt\": 1700000000,"
            "   \"findingSeverityCounts\": {\"LOW\": 1, \"CRITICAL\": 1},"
            "   \"findings\": [{\"name\": \"CVE-L\", \"severity\": \"LOW\"},"
            "                  {\"name\": \"CVE-C\", \"severity\": \"CRITICAL\"}]}}");
  g_autoptr(JsonObject) page2 = parse ("{\"imageScanFindings\": {\"findings\": ["
                                       "{\"name\": \"CVE-H\", \"severity\": \"HIGH\"}]}}");
  g_autoptr(JsonObject) bad_page = parse ("{\"imageScanFindings\": {\"findings\": [{\"name\": 1}]}}");
  g_autoptr(WharfScanFinding) first = NULL;
  g_autoptr(WharfScanFinding) second = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *findings;
  int counts[WHARF_N_SEVERITIES];

  g_assert_cmpint (wharf_scan_result_get_status (result), ==, WHARF_SCAN_STATUS_COMPLETE);
  g_assert_cmpstr (wharf_scan_result_get_description (result), ==, "done");
  g_assert_true (wharf_scan_result_get_has_counts (result));
  g_assert_cmpint (wharf_scan_result_get_total_findings (result), ==, 2);
  g_assert_true (wharf_scan_result_get_counts (result, counts));
  g_assert_cmpint (counts[WHARF_SEVERITY_CRITICAL], ==, 1);

  g_assert_true (wharf_scan_result_add_findings_from_json (result, page2, &error));
  g_assert_no_error (error);
  findings = wharf_scan_result_get_findings (result);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 3);
  /* Most severe first. */
  first = g_list_model_get_item (findings, 0);
  second = g_list_model_get_item (findings, 1);
  g_assert_cmpstr (wharf_scan_finding_get_name (first), ==, "CVE-C");
  g_assert_cmpstr (wharf_scan_finding_get_name (second), ==, "CVE-H");

  g_assert_false (wharf_scan_result_add_findings_from_json (result, bad_page, &error));
  g_assert_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_DATA);

  assert_rejected ((NewFromJson) wharf_scan_result_new_from_json, "{}", "imageScanStatus");
  assert_rejected ((NewFromJson) wharf_scan_result_new_from_json,
                   "{\"imageScanStatus\": {}}", "status");
  assert_rejected ((NewFromJson) wharf_scan_result_new_from_json,
                   "{\"imageScanStatus\": {\"status\": \"COMPLETE\"}, \"imageScanFindings\": []}",
                   "imageScanFindings");
}

static void
test_scan_result_in_progress (void)
{
  g_autoptr(WharfScanResult) result =
    accept ((NewFromJson) wharf_scan_result_new_from_json,
            "{\"imageScanStatus\": {\"status\": \"IN_PROGRESS\"}}");

  g_assert_cmpint (wharf_scan_result_get_status (result), ==, WHARF_SCAN_STATUS_IN_PROGRESS);
  g_assert_false (wharf_scan_result_get_has_counts (result));
  g_assert_cmpint (wharf_scan_result_get_count (result, WHARF_SEVERITY_HIGH), ==, -1);
  g_assert_cmpuint (g_list_model_get_n_items (wharf_scan_result_get_findings (result)), ==, 0);
}

static void
test_lifecycle_preview_result (void)
{
  g_autoptr(WharfLifecyclePreviewResult) result =
    accept ((NewFromJson) wharf_lifecycle_preview_result_new_from_json,
            "{\"imageTags\": [\"old\"], \"imageDigest\": \"sha256:c\", \"imagePushedAt\": 1600000000,"
            " \"action\": {\"type\": \"EXPIRE\"}, \"appliedRulePriority\": 2}");

  g_assert_cmpstr (wharf_lifecycle_preview_result_get_digest (result), ==, "sha256:c");
  g_assert_cmpstr (wharf_lifecycle_preview_result_get_tags_text (result), ==, "old");
  g_assert_cmpint (wharf_lifecycle_preview_result_get_action (result), ==, WHARF_IMAGE_ACTION_EXPIRE);
  g_assert_cmpint (wharf_lifecycle_preview_result_get_applied_rule_priority (result), ==, 2);

  assert_rejected ((NewFromJson) wharf_lifecycle_preview_result_new_from_json,
                   "{\"action\": {\"type\": \"EXPIRE\"}}", "imageDigest");
  assert_rejected ((NewFromJson) wharf_lifecycle_preview_result_new_from_json,
                   "{\"imageDigest\": \"sha256:c\"}", "action");
  assert_rejected ((NewFromJson) wharf_lifecycle_preview_result_new_from_json,
                   "{\"imageDigest\": \"sha256:c\", \"action\": {\"type\": \"BURN\"}}", "action.type");
  assert_rejected ((NewFromJson) wharf_lifecycle_preview_result_new_from_json,
                   "{\"imageDigest\": \"sha256:c\", \"action\": {\"type\": \"EXPIRE\"}, \"appliedRulePriority\": 0}",
                   "appliedRulePriority");
}

static void
test_authorization_token (void)
{
  /* base64 ("AWS:pass:with:colons") */
  g_autoptr(WharfAuthorizationToken) token =
    accept ((NewFromJson) wharf_authorization_token_new_from_json,
            "{\"authorizationToken\": \"QVdTOnBhc3M6d2l0aDpjb2xvbnM=\","
            " \"expiresAt\": 1700043200,"
            " \"proxyEndpoint\": \"https://111122223333.dkr.ecr.us-east-1.amazonaws.com\"}");
  g_autofree GParamSpec **specs = NULL;
  guint n_specs, i;

  g_assert_cmpstr (wharf_authorization_token_get_user_name (token), ==, "AWS");
  g_assert_cmpstr (wharf_authorization_token_get_password (token), ==, "pass:with:colons");
  g_assert_cmpstr (wharf_authorization_token_get_registry (token), ==,
                   "111122223333.dkr.ecr.us-east-1.amazonaws.com");
  g_assert_cmpint (g_date_time_to_unix (wharf_authorization_token_get_expires_at (token)), ==, 1700043200);

  /* The password is not reachable through properties. */
  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (token), &n_specs);
  for (i = 0; i < n_specs; i++)
    g_assert_null (strstr (g_param_spec_get_name (specs[i]), "password"));

  assert_rejected ((NewFromJson) wharf_authorization_token_new_from_json,
                   "{\"expiresAt\": 1, \"proxyEndpoint\": \"https://x\"}", "authorizationToken");
  assert_rejected ((NewFromJson) wharf_authorization_token_new_from_json,
                   "{\"authorizationToken\": \"QVdTOnBhc3M=\", \"proxyEndpoint\": \"https://x\"}", "expiresAt");
  assert_rejected ((NewFromJson) wharf_authorization_token_new_from_json,
                   "{\"authorizationToken\": \"QVdTOnBhc3M=\", \"expiresAt\": 1}", "proxyEndpoint");
  /* Not base64, no colon, empty user. */
  assert_rejected ((NewFromJson) wharf_authorization_token_new_from_json,
                   "{\"authorizationToken\": \"!!!\", \"expiresAt\": 1, \"proxyEndpoint\": \"https://x\"}",
                   "authorizationToken");
  assert_rejected ((NewFromJson) wharf_authorization_token_new_from_json,
                   "{\"authorizationToken\": \"bm9jb2xvbg==\", \"expiresAt\": 1, \"proxyEndpoint\": \"https://x\"}",
                   "authorizationToken");
  assert_rejected ((NewFromJson) wharf_authorization_token_new_from_json,
                   "{\"authorizationToken\": \"OnBhc3M=\", \"expiresAt\": 1, \"proxyEndpoint\": \"https://x\"}",
                   "authorizationToken");

  /* The user name reaches labels and docker's argv, the password docker's standard input:
   * "AWS\x01:pass", "\xa8AWS:pass", "AWS:pa\nss", "AWS:pass\r", "AWS:\xffpass", "AWS:". */
  {
    static const char * const bad[] = {
      "QVdTATpwYXNz", "qEFXUzpwYXNz", "QVdTOnBhCnNz", "QVdTOnBhc3MN", "QVdTOv9wYXNz", "QVdTOg==",
    };

    for (i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *json = g_strdup_printf ("{\"authorizationToken\": \"%s\", \"expiresAt\": 1,"
                                                 " \"proxyEndpoint\": \"https://x\"}", bad[i]);

        assert_rejected ((NewFromJson) wharf_authorization_token_new_from_json, json,
                         "authorizationToken");
      }
  }

  /* UTF-8 is fine: "J\u00f6rg:p\u00e4ss". */
  {
    g_autoptr(WharfAuthorizationToken) utf8 =
      accept ((NewFromJson) wharf_authorization_token_new_from_json,
              "{\"authorizationToken\": \"SsO2cmc6cMOkc3M=\", \"expiresAt\": 1,"
              " \"proxyEndpoint\": \"https://x\"}");

    g_assert_cmpstr (wharf_authorization_token_get_user_name (utf8), ==, "J\xc3\xb6rg");
    g_assert_cmpstr (wharf_authorization_token_get_password (utf8), ==, "p\xc3\xa4ss");
  }
}

static void
test_enum_strings (void)
{
  WharfTagMutability mutability;
  WharfSeverity severity;

  g_assert_true (wharf_tag_mutability_from_string ("MUTABLE_WITH_EXCLUSION", &mutability));
  g_assert_cmpint (mutability, ==, WHARF_TAG_MUTABILITY_MUTABLE_WITH_EXCLUSION);
  g_assert_false (wharf_tag_mutability_from_string ("mutable", &mutability));
  g_assert_false (wharf_tag_mutability_from_string (NULL, &mutability));
  g_assert_cmpstr (wharf_encryption_type_to_string (WHARF_ENCRYPTION_TYPE_KMS_DSSE), ==, "KMS_DSSE");
  g_assert_true (wharf_severity_from_string ("INFORMATIONAL", &severity));
  g_assert_cmpint (severity, ==, WHARF_SEVERITY_INFORMATIONAL);
  g_assert_cmpint (wharf_scan_status_from_string ("SCAN_ELIGIBILITY_EXPIRED"), ==,
                   WHARF_SCAN_STATUS_SCAN_ELIGIBILITY_EXPIRED);
  g_assert_cmpint (wharf_scan_status_from_string (NULL), ==, WHARF_SCAN_STATUS_NONE);
  g_assert_cmpstr (wharf_tag_status_to_string (WHARF_TAG_STATUS_UNTAGGED), ==, "UNTAGGED");
  g_assert_cmpstr (wharf_severity_get_label (WHARF_SEVERITY_CRITICAL), ==, "Critical");
  g_assert_true (G_TYPE_IS_ENUM (WHARF_TYPE_SCAN_STATUS));
}

static void
test_repository_options (void)
{
  g_autoptr(WharfRepositoryOptions) options = wharf_repository_options_new ("team/web");
  g_autoptr(WharfRepositoryOptions) copy = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (wharf_repository_options_validate (options, &error));
  g_assert_no_error (error);

  wharf_repository_options_set_tag_mutability (options, WHARF_TAG_MUTABILITY_IMMUTABLE_WITH_EXCLUSION);
  g_assert_false (wharf_repository_options_validate (options, &error));
  g_assert_error (error, WHARF_ECR_ERROR, WHARF_ECR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  wharf_repository_options_add_exclusion_filter (options, "latest");
  wharf_repository_options_set_encryption (options, WHARF_ENCRYPTION_TYPE_KMS, "alias/ecr");
  wharf_repository_options_add_resource_tag (options, "team", "platform");
  g_assert_true (wharf_repository_options_validate (options, &error));

  copy = wharf_repository_options_copy (options);
  wharf_repository_options_add_resource_tag (copy, "team", "again");
  g_assert_false (wharf_repository_options_validate (copy, &error));
  g_assert_nonnull (strstr (error->message, "twice"));
  g_clear_error (&error);

  wharf_repository_options_set_encryption (options, WHARF_ENCRYPTION_TYPE_AES256, "alias/ecr");
  g_assert_false (wharf_repository_options_validate (options, &error));
  g_clear_error (&error);

  {
    g_autoptr(WharfRepositoryOptions) bad = wharf_repository_options_new ("Bad Name");

    g_assert_false (wharf_repository_options_validate (bad, &error));
    g_assert_nonnull (strstr (error->message, "lowercase"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ecr-models/repository/full", test_repository);
  g_test_add_func ("/ecr-models/repository/minimal", test_repository_minimal);
  g_test_add_func ("/ecr-models/repository/rejected", test_repository_rejected);
  g_test_add_func ("/ecr-models/image/full", test_image);
  g_test_add_func ("/ecr-models/image/untagged-and-summary-update", test_image_untagged_and_summary_update);
  g_test_add_func ("/ecr-models/image/compact", test_image_compact);
  g_test_add_func ("/ecr-models/image/rejected", test_image_rejected);
  g_test_add_func ("/ecr-models/repository/unknown-enums", test_repository_unknown_enums);
  g_test_add_func ("/ecr-models/image/unknown-scan-status", test_image_unknown_scan_status);
  g_test_add_func ("/ecr-models/scan-finding/basic", test_scan_finding);
  g_test_add_func ("/ecr-models/scan-finding/enhanced", test_scan_finding_enhanced);
  g_test_add_func ("/ecr-models/scan-result/complete", test_scan_result);
  g_test_add_func ("/ecr-models/scan-result/in-progress", test_scan_result_in_progress);
  g_test_add_func ("/ecr-models/lifecycle-preview-result", test_lifecycle_preview_result);
  g_test_add_func ("/ecr-models/authorization-token", test_authorization_token);
  g_test_add_func ("/ecr-models/enum-strings", test_enum_strings);
  g_test_add_func ("/ecr-models/repository-options", test_repository_options);

  return g_test_run ();
}
