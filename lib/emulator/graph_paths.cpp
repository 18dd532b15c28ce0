#include "emulator/graph_paths.hpp"

#include <algorithm>
#include <array>

#include "util/strings.hpp"

namespace xtsync::emulator {

namespace {

// Generated from microsoftgraph/msgraph-metadata: v1.0 from schemas/v1.0-Prod.csdl; beta from
// schemas/type-mappings/beta-entity-types.json where it lists the type, and for the root (which
// that list lacks) the union of v1.0-Prod's and beta-USNat.csdl's entity container (beta-Prod.csdl
// itself was too large to fetch), plus the OData service paths $metadata and $batch.
constexpr std::array<std::string_view, 74> k_v1_roots = {
    "$batch",
    "$metadata",
    "admin",
    "agreementAcceptances",
    "agreements",
    "appCatalogs",
    "appRoleAssignments",
    "applicationTemplates",
    "applications",
    "auditLogs",
    "authenticationMethodConfigurations",
    "authenticationMethodsPolicy",
    "certificateBasedAuthConfiguration",
    "chats",
    "communications",
    "compliance",
    "connections",
    "contacts",
    "contracts",
    "copilot",
    "dataPolicyOperations",
    "deviceAppManagement",
    "deviceManagement",
    "devices",
    "directory",
    "directoryObjects",
    "directoryRoleTemplates",
    "directoryRoles",
    "domainDnsRecords",
    "domains",
    "drive",
    "drives",
    "education",
    "employeeExperience",
    "external",
    "filterOperators",
    "functions",
    "groupLifecyclePolicies",
    "groupSettingTemplates",
    "groupSettings",
    "groups",
    "identity",
    "identityGovernance",
    "identityProtection",
    "identityProviders",
    "informationProtection",
    "invitations",
    "me",
    "oauth2PermissionGrants",
    "organization",
    "permissionGrants",
    "places",
    "planner",
    "policies",
    "print",
    "privacy",
    "reports",
    "roleManagement",
    "schemaExtensions",
    "scopedRoleMemberships",
    "search",
    "security",
    "servicePrincipals",
    "shares",
    "sites",
    "solutions",
    "storage",
    "subscribedSkus",
    "subscriptions",
    "teams",
    "teamsTemplates",
    "teamwork",
    "tenantRelationships",
    "users",
};

constexpr std::array<std::string_view, 100> k_beta_roots = {
    "$batch",
    "$metadata",
    "accessReviewDecisions",
    "accessReviews",
    "admin",
    "administrativeUnits",
    "agreementAcceptances",
    "agreements",
    "allowedDataLocations",
    "appCatalogs",
    "appRoleAssignments",
    "applicationTemplates",
    "applications",
    "approvalWorkflowProviders",
    "auditLogs",
    "authenticationMethodConfigurations",
    "authenticationMethodsPolicy",
    "businessFlowTemplates",
    "certificateBasedAuthConfiguration",
    "chats",
    "communications",
    "compliance",
    "conditionalAccess",
    "connections",
    "contacts",
    "contracts",
    "copilot",
    "dataClassification",
    "dataPolicyOperations",
    "deviceAppManagement",
    "deviceManagement",
    "devices",
    "directory",
    "directoryObjects",
    "directoryRoleTemplates",
    "directoryRoles",
    "directorySettingTemplates",
    "domainDnsRecords",
    "domains",
    "drive",
    "drives",
    "education",
    "employeeExperience",
    "entitlementManagement",
    "external",
    "filterOperators",
    "functions",
    "governanceResources",
    "governanceRoleAssignmentRequests",
    "governanceRoleAssignments",
    "governanceRoleDefinitions",
    "governanceRoleSettings",
    "governanceSubjects",
    "groupLifecyclePolicies",
    "groupSettingTemplates",
    "groupSettings",
    "groups",
    "identity",
    "identityGovernance",
    "identityProtection",
    "identityProviders",
    "informationProtection",
    "invitations",
    "me",
    "oauth2PermissionGrants",
    "onPremisesPublishingProfiles",
    "organization",
    "permissionGrants",
    "places",
    "planner",
    "policies",
    "print",
    "privacy",
    "privilegedAccess",
    "programControlTypes",
    "programControls",
    "programs",
    "reports",
    "riskDetections",
    "riskyUsers",
    "roleManagement",
    "schemaExtensions",
    "scopedRoleMemberships",
    "search",
    "security",
    "servicePrincipals",
    "settings",
    "shares",
    "sites",
    "solutions",
    "storage",
    "subscribedSkus",
    "subscriptions",
    "teamTemplateDefinition",
    "teams",
    "teamsTemplates",
    "teamwork",
    "tenantRelationships",
    "termStore",
    "users",
};

// Properties and navigation properties of policyRoot.
constexpr std::array<std::string_view, 22> k_v1_policies = {
    "activityBasedTimeoutPolicies",
    "adminConsentRequestPolicy",
    "appManagementPolicies",
    "authenticationFlowsPolicy",
    "authenticationMethodsPolicy",
    "authenticationStrengthPolicies",
    "authorizationPolicy",
    "claimsMappingPolicies",
    "conditionalAccessPolicies",
    "crossTenantAccessPolicy",
    "defaultAppManagementPolicy",
    "deviceRegistrationPolicy",
    "featureRolloutPolicies",
    "federatedTokenValidationPolicy",
    "homeRealmDiscoveryPolicies",
    "identitySecurityDefaultsEnforcementPolicy",
    "ownerlessGroupPolicy",
    "permissionGrantPolicies",
    "roleManagementPolicies",
    "roleManagementPolicyAssignments",
    "tokenIssuancePolicies",
    "tokenLifetimePolicies",
};

constexpr std::array<std::string_view, 33> k_beta_policies = {
    "accessReviewPolicy",
    "activityBasedTimeoutPolicies",
    "adminConsentRequestPolicy",
    "appManagementPolicies",
    "authenticationFlowsPolicy",
    "authenticationMethodsPolicy",
    "authenticationStrengthPolicies",
    "authorizationPolicy",
    "b2bManagementPolicies",
    "b2cAuthenticationMethodsPolicy",
    "claimsMappingPolicies",
    "conditionalAccessPolicies",
    "crossTenantAccessPolicy",
    "defaultAppManagementPolicy",
    "deletedItems",
    "deviceRegistrationPolicy",
    "directoryRoleAccessReviewPolicy",
    "externalIdentitiesPolicy",
    "featureRolloutPolicies",
    "federatedTokenValidationPolicy",
    "homeRealmDiscoveryPolicies",
    "identitySecurityDefaultsEnforcementPolicy",
    "mobileAppManagementPolicies",
    "mobileDeviceManagementPolicies",
    "onPremAuthenticationPolicies",
    "ownerlessGroupPolicy",
    "permissionGrantPolicies",
    "permissionGrantPreApprovalPolicies",
    "roleManagementPolicies",
    "roleManagementPolicyAssignments",
    "servicePrincipalCreationPolicies",
    "tokenIssuancePolicies",
    "tokenLifetimePolicies",
};

// Of crossTenantAccessPolicy (the same in both versions).
constexpr std::array<std::string_view, 4> k_access_policy = {
    "allowedCloudEndpoints",
    "default",
    "partners",
    "templates",
};

// Of crossTenantAccessPolicyConfigurationPartner.
constexpr std::array<std::string_view, 15> k_v1_partner = {
    "appServiceConnectInbound",
    "automaticUserConsentSettings",
    "b2bCollaborationInbound",
    "b2bCollaborationOutbound",
    "b2bDirectConnectInbound",
    "b2bDirectConnectOutbound",
    "identitySynchronization",
    "inboundTrust",
    "isInMultiTenantOrganization",
    "isServiceProvider",
    "m365CollaborationInbound",
    "m365CollaborationOutbound",
    "serviceProviderConstraints",
    "tenantId",
    "tenantRestrictions",
};

constexpr std::array<std::string_view, 17> k_beta_partner = {
    "appServiceConnectInbound",
    "automaticUserConsentSettings",
    "b2bCollaborationInbound",
    "b2bCollaborationOutbound",
    "b2bDirectConnectInbound",
    "b2bDirectConnectOutbound",
    "blockServiceProviderOutboundAccess",
    "identitySynchronization",
    "inboundTrust",
    "isInMultiTenantOrganization",
    "isServiceProvider",
    "m365Capabilities",
    "m365CollaborationInbound",
    "m365CollaborationOutbound",
    "serviceProviderConstraints",
    "tenantId",
    "tenantRestrictions",
};

// Of crossTenantIdentitySyncPolicyPartner (beta: with policyDeletableItem's deletedDateTime).
constexpr std::array<std::string_view, 3> k_v1_sync_policy = {
    "displayName",
    "tenantId",
    "userSyncInbound",
};

constexpr std::array<std::string_view, 6> k_beta_sync_policy = {
    "deletedDateTime",
    "displayName",
    "externalCloudAuthorizedApplicationId",
    "groupSyncInbound",
    "tenantId",
    "userSyncInbound",
};

// Of policyDeletableRoot (beta only).
constexpr std::array<std::string_view, 2> k_deleted_items = {
    "crossTenantPartners",
    "crossTenantSyncPolicyPartners",
};

// Of tenantRelationship; beta adds managedTenants.
constexpr std::array<std::string_view, 3> k_v1_tenant_relationships = {
    "delegatedAdminCustomers",
    "delegatedAdminRelationships",
    "multiTenantOrganization",
};

constexpr std::array<std::string_view, 4> k_beta_tenant_relationships = {
    "delegatedAdminCustomers",
    "delegatedAdminRelationships",
    "managedTenants",
    "multiTenantOrganization",
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view segment) {
  // Graph matches path segments case-insensitively.
  return std::any_of(names.begin(), names.end(), [&](std::string_view name) { return util::iequals(name, segment); });
}

}  // namespace

bool is_graph_member(GraphNode node, std::string_view segment, ApiVersion version) {
  const bool beta = version == ApiVersion::beta;
  switch (node) {
    case GraphNode::root:
      return beta ? contains(k_beta_roots, segment) : contains(k_v1_roots, segment);
    case GraphNode::policies:
      return beta ? contains(k_beta_policies, segment) : contains(k_v1_policies, segment);
    case GraphNode::access_policy:
      return contains(k_access_policy, segment);
    case GraphNode::partner:
      return beta ? contains(k_beta_partner, segment) : contains(k_v1_partner, segment);
    case GraphNode::sync_policy:
      return beta ? contains(k_beta_sync_policy, segment) : contains(k_v1_sync_policy, segment);
    case GraphNode::deleted_items:
      return beta && contains(k_deleted_items, segment);
    case GraphNode::tenant_relationships:
      return beta ? contains(k_beta_tenant_relationships, segment) : contains(k_v1_tenant_relationships, segment);
  }
  return false;
}

}  // namespace xtsync::emulator
