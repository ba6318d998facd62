/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The ECR operations the sandbox serves: the types of their top-level input members and
 * the table of their handlers (wharf-sandbox-ops-*.c). Each handler reads its input
 * (wharf-sandbox-input.c) and either returns the output object or fails the call with
 * ECR's error and message.
 */
#define G_LOG_DOMAIN "wharf-sandbox-ops"

#include "config.h"

#include "wharf-sandbox-ops-private.h"
#include "wharf-sandbox-registry-private.h"

/* The top-level members of the served operations and their JSON types (one type per name
 * across ECR's input shapes), so that a member of the wrong type is a SerializationException
 * before any other check, as the service's deserializer answers. */
static const struct
{
  const char  *name;
  JsonNodeType type;
  GType        value_type;
  const char  *type_name;
} member_types[] = {
  { "acceptedMediaTypes", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "encryptionConfiguration", JSON_NODE_OBJECT, G_TYPE_INVALID, "a Structure" },
  { "filter", JSON_NODE_OBJECT, G_TYPE_INVALID, "a Structure" },
  { "force", JSON_NODE_VALUE, G_TYPE_BOOLEAN, "a Boolean" },
  { "imageDigest", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "imageId", JSON_NODE_OBJECT, G_TYPE_INVALID, "a Structure" },
  { "imageIds", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "imageManifest", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "imageManifestMediaType", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "imageScanningConfiguration", JSON_NODE_OBJECT, G_TYPE_INVALID, "a Structure" },
  { "imageTag", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "imageTagMutability", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "imageTagMutabilityExclusionFilters", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "lifecyclePolicyText", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "maxResults", JSON_NODE_VALUE, G_TYPE_INT64, "an Integer" },
  { "nextToken", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "policyText", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "registryId", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "registryIds", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "repositoryName", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "repositoryNames", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "resourceArn", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "rules", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "scanType", JSON_NODE_VALUE, G_TYPE_STRING, "a String" },
  { "tagKeys", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
  { "tags", JSON_NODE_ARRAY, G_TYPE_INVALID, "a List" },
};

gboolean
sb_check_input_types (SbCall     *call,
                      JsonObject *in)
{
  for (guint i = 0; in && i < G_N_ELEMENTS (member_types); i++)
    {
      JsonNode *node;

      if (!in_member (call, in, member_types[i].name, FALSE, member_types[i].type,
                      member_types[i].value_type, member_types[i].type_name, &node))
        return FALSE;
    }
  return TRUE;
}

static const struct
{
  const char     *name;
  SbOperationFunc func;
} operations[] = {
  { "BatchCheckLayerAvailability", sb_op_batch_check_layer_availability },
  { "BatchDeleteImage", op_batch_delete_image },
  { "BatchGetImage", op_batch_get_image },
  { "BatchGetRepositoryScanningConfiguration", op_batch_get_repository_scanning_configuration },
  { "CompleteLayerUpload", sb_op_complete_layer_upload },
  { "CreateRepository", op_create_repository },
  { "DeleteLifecyclePolicy", op_delete_lifecycle_policy },
  { "DeleteRepository", op_delete_repository },
  { "DeleteRepositoryPolicy", op_delete_repository_policy },
  { "DescribeImageScanFindings", op_describe_image_scan_findings },
  { "DescribeImages", op_describe_images },
  { "DescribeRegistry", op_describe_registry },
  { "DescribeRepositories", op_describe_repositories },
  { "GetAuthorizationToken", op_get_authorization_token },
  { "GetDownloadUrlForLayer", sb_op_get_download_url_for_layer },
  { "GetLifecyclePolicy", op_get_lifecycle_policy },
  { "GetLifecyclePolicyPreview", op_get_lifecycle_policy_preview },
  { "GetRegistryScanningConfiguration", op_get_registry_scanning_configuration },
  { "GetRepositoryPolicy", op_get_repository_policy },
  { "InitiateLayerUpload", sb_op_initiate_layer_upload },
  { "ListImages", op_list_images },
  { "ListTagsForResource", op_list_tags_for_resource },
  { "PutImage", op_put_image },
  { "PutImageScanningConfiguration", op_put_image_scanning_configuration },
  { "PutImageTagMutability", op_put_image_tag_mutability },
  { "PutLifecyclePolicy", op_put_lifecycle_policy },
  { "PutRegistryScanningConfiguration", op_put_registry_scanning_configuration },
  { "SetRepositoryPolicy", op_set_repository_policy },
  { "StartImageScan", op_start_image_scan },
  { "StartLifecyclePolicyPreview", op_start_lifecycle_policy_preview },
  { "TagResource", op_tag_resource },
  { "UntagResource", op_untag_resource },
  { "UploadLayerPart", sb_op_upload_layer_part },
};

SbOperationFunc
sb_lookup_operation (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    if (g_str_equal (operations[i].name, name))
      return operations[i].func;
  return NULL;
}
