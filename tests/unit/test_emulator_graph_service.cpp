// The emulated Graph endpoints: partners, identitySynchronization, auth, validation, routing.
#include <doctest/doctest.h>

#include "test_emulator_helpers.hpp"
#include "util/guid.hpp"

using namespace emutest;

TEST_SUITE_BEGIN("emulator");

TEST_CASE_FIXTURE(GraphFixture, "emulator::Graph partner configurations") {
  SUBCASE("create returns the documented shape and a second create conflicts") {
    const auto created = call("POST", k_partners, R"({"tenantId":"90E29127-71AD-49C7-9CE8-DB3F41EA06F1"})");
    REQUIRE(created.status == 201);
    const auto body = body_of(created).as_object();
    CHECK(body.at("@odata.context") ==
          "http://127.0.0.1:8080/beta/$metadata#policies/crossTenantAccessPolicy/partners/$entity");
    CHECK(body.at("tenantId") == k_tenant);
    CHECK(body.at("inboundTrust").is_null());
    CHECK(body.at("automaticUserConsentSettings").at("inboundAllowed").is_null());
    CHECK(state.partner(k_tenant) != nullptr);

    const auto again = call("POST", k_partners + "/", R"({"tenantId":")" + std::string(k_tenant) + R"("})");
    CHECK(again.status == 409);
    CHECK(error_code(again) == "Request_MultipleObjectsWithSameKeyValue");
    CHECK(body_of(again).at("error").at("message") ==
          "Another object with the same value for property tenantId already exists.");
  }
  SUBCASE("create without a valid tenantId is a bad request") {
    CHECK(error_code(call("POST", k_partners, "{}")) == "Request_BadRequest");
    CHECK(call("POST", k_partners, R"({"tenantId":"contoso.com"})").status == 400);
    CHECK(state.partners().empty());
  }
  SUBCASE("v1.0 shows the v1.0 shape") {
    add_partner(k_tenant);
    const auto got = call("GET", "/v1.0/policies/crossTenantAccessPolicy/partners/" + std::string(k_tenant));
    REQUIRE(got.status == 200);
    const auto body = body_of(got).as_object();
    CHECK(body.contains("b2bDirectConnectInbound"));
    CHECK_FALSE(body.contains("protectedContentSharing"));
    // The v1.0 metadata has these too.
    CHECK(body.at("isInMultiTenantOrganization") == false);
    CHECK(body.contains("appServiceConnectInbound"));
    CHECK(body.contains("m365CollaborationInbound"));
    CHECK(body.contains("m365CollaborationOutbound"));
    CHECK_FALSE(body.contains("blockServiceProviderOutboundAccess"));  // beta only
    CHECK(call("PATCH", "/v1.0/policies/crossTenantAccessPolicy/partners/" + std::string(k_tenant),
               R"({"isInMultiTenantOrganization":true})")
              .status == 204);
  }
  SUBCASE("$select on the list and on one partner") {
    add_partner(k_other);
    add_policy(k_tenant);
    const auto list = body_of(call("GET", k_partners + "?$select=isServiceProvider,displayName")).as_object();
    CHECK(str(list.at("@odata.context")).ends_with("#policies/crossTenantAccessPolicy/partners(isServiceProvider,displayName)"));
    for (const auto& item : list.at("value").as_array()) {
      CHECK(item.as_object().size() == 3);  // tenantId, the key, always comes back
      CHECK(item.as_object().contains("tenantId"));
      CHECK(item.as_object().contains("isServiceProvider"));
    }
    const auto expanded =
        body_of(call("GET", k_partners + "?$select=inboundTrust&$expand=identitySynchronization")).as_object();
    CHECK(str(expanded.at("@odata.context")).ends_with("partners(inboundTrust,identitySynchronization())"));
    CHECK(expanded.at("value").as_array()[0].as_object().size() == 3);

    const std::string one = "/v1.0/policies/crossTenantAccessPolicy/partners/" + std::string(k_tenant);
    const auto got = call("GET", one + "?$select=isInMultiTenantOrganization,TENANTID");
    REQUIRE(got.status == 200);
    const auto body = body_of(got).as_object();
    CHECK(str(body.at("@odata.context")).ends_with("#policies/crossTenantAccessPolicy/partners(isInMultiTenantOrganization,tenantId)/$entity"));
    CHECK(body.size() == 3);
    CHECK(body.at("isInMultiTenantOrganization") == false);

    CHECK(call("GET", one + "?$select=blockServiceProviderOutboundAccess").status == 400);  // beta only
    const auto unknown = call("GET", k_partners + "?$select=colour");
    CHECK(unknown.status == 400);
    CHECK(body_of(unknown).at("error").at("message") ==
          "Could not find a property named 'colour' on type "
          "'microsoft.graph.crossTenantAccessPolicyConfigurationPartner'.");
  }
  SUBCASE("list, with and without $expand") {
    add_partner(k_other);
    add_policy(k_tenant);
    const auto list = body_of(call("GET", k_partners)).as_object();
    REQUIRE(list.at("value").as_array().size() == 2);
    CHECK_FALSE(list.at("value").as_array()[0].as_object().contains("identitySynchronization"));
    const auto expanded = body_of(call("GET", k_partners + "?$expand=identitySynchronization")).as_object();
    const auto& items = expanded.at("value").as_array();
    for (const auto& item : items) {
      const auto& sync = item.at("identitySynchronization");
      if (item.at("tenantId") == k_tenant) {
        CHECK(sync.at("displayName") == "Fabrikam");
      } else {
        CHECK(sync.is_null());
      }
    }
  }
  SUBCASE("get and delete of a missing partner are 404") {
    const std::string path = k_partners + "/" + k_tenant;
    CHECK(error_code(call("GET", path)) == "Request_ResourceNotFound");
    CHECK(call("DELETE", path).status == 404);
  }
  SUBCASE("a partner with a sync policy cannot be deleted until the policy is") {
    add_policy(k_tenant);
    const std::string path = k_partners + "/" + k_tenant;
    const auto refused = call("DELETE", path);
    CHECK(refused.status == 400);
    CHECK(error_code(refused) == "Request_BadRequest");
    CHECK(std::string(body_of(refused).at("error").at("message").as_string()).find("must be deleted first") !=
          std::string::npos);
    CHECK(state.partner(k_tenant) != nullptr);
    REQUIRE(call("DELETE", policy_path(k_tenant)).status == 204);
    CHECK(call("DELETE", path).status == 204);
    CHECK(state.partner(k_tenant) == nullptr);
  }
  SUBCASE("patch merges known properties") {
    add_partner(k_tenant);
    const std::string path = k_partners + "/" + k_tenant;
    CHECK(call("PATCH", path, R"({"automaticUserConsentSettings":{"inboundAllowed":true}})").status == 204);
    CHECK(state.partner(k_tenant)->at("automaticUserConsentSettings").at("inboundAllowed") == true);
    CHECK(call("PATCH", path, R"({"madeUp":1})").status == 400);
  }
}

TEST_CASE_FIXTURE(GraphFixture, "emulator::Graph identitySynchronization create and get") {
  add_partner(k_tenant);

  SUBCASE("PUT creates, GET returns the beta shape with @odata.context") {
    const auto put = call("PUT", policy_path(k_tenant),
                          R"({"displayName":"Fabrikam","groupSyncInbound":{"isSyncAllowed":true},)"
                          R"("userSyncInbound":{"isSyncAllowed":true}})");
    CHECK(put.status == 204);
    CHECK(put.body.empty());

    const auto got = call("GET", policy_path("90E29127-71AD-49C7-9CE8-DB3F41EA06F1"));
    REQUIRE(got.status == 200);
    CHECK(
        got.header("Content-Type") ==
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");
    const auto body = body_of(got).as_object();
    CHECK(str(body.at("@odata.context")) ==
          "http://127.0.0.1:8080/beta/$metadata#policies/crossTenantAccessPolicy/partners('" +
              std::string(k_tenant) + "')/identitySynchronization/$entity");
    CHECK(body.at("tenantId") == k_tenant);
    CHECK(body.at("displayName") == "Fabrikam");
    CHECK(body.at("userSyncInbound").at("isSyncAllowed") == true);
    CHECK(body.at("groupSyncInbound").at("isSyncAllowed") == true);
    CHECK(body.at("externalCloudAuthorizedApplicationId").is_null());
    CHECK_FALSE(body.contains("deletedDateTime"));
  }
  SUBCASE("v1.0 hides the beta-only properties") {
    add_policy(k_tenant, R"({"displayName":"F","groupSyncInbound":{"isSyncAllowed":false}})");
    const auto body = body_of(call("GET", policy_path(k_tenant, "v1.0"))).as_object();
    CHECK(body.at("@odata.context").as_string().starts_with("http://127.0.0.1:8080/v1.0/$metadata#"));
    CHECK(body.contains("userSyncInbound"));
    CHECK_FALSE(body.contains("groupSyncInbound"));
    CHECK_FALSE(body.contains("externalCloudAuthorizedApplicationId"));
  }
  SUBCASE("$select returns the selected properties plus the key") {
    add_policy(k_tenant);
    const auto body = body_of(call("GET", policy_path(k_tenant) + "?$select=displayName")).as_object();
    CHECK(body.size() == 3);  // @odata.context, tenantId, displayName
    CHECK(body.at("displayName") == "Fabrikam");
    CHECK(call("GET", policy_path(k_tenant) + "?$select=nope").status == 400);
  }
  SUBCASE("the OData key syntax addresses the same partner") {
    add_policy(k_tenant);
    CHECK(call("GET", "/beta/policies/crossTenantAccessPolicy/partners('" + std::string(k_tenant) +
                          "')/identitySynchronization")
              .status == 200);
  }
  SUBCASE("PUT when the policy exists is 409 with ConflictingObjects details") {
    add_policy(k_tenant);
    const auto conflict = call("PUT", policy_path(k_tenant), R"({"displayName":"Other"})");
    REQUIRE(conflict.status == 409);
    const auto error = body_of(conflict).at("error").as_object();
    CHECK(error.at("code") == "Request_MultipleObjectsWithSameKeyValue");
    const auto& detail = error.at("details").as_array().at(0);
    CHECK(detail.at("code") == "ConflictingObjects");
    CHECK(detail.at("target") == "tenantId");
    CHECK(state.policy(k_tenant)->at("displayName") == "Fabrikam");
  }
  SUBCASE("PUT without the partner configuration is 404 naming it") {
    const auto missing = call("PUT", policy_path(k_other), R"({"displayName":"X"})");
    CHECK(missing.status == 404);
    CHECK(error_code(missing) == "Request_ResourceNotFound");
    CHECK(std::string(body_of(missing).at("error").at("message").as_string())
              .find("crossTenantAccessPolicyConfigurationPartner") != std::string::npos);
  }
  SUBCASE("GET distinguishes a missing partner from a missing policy") {
    const auto no_partner = call("GET", policy_path(k_other));
    const auto no_policy = call("GET", policy_path(k_tenant));
    CHECK(no_partner.status == 404);
    CHECK(no_policy.status == 404);
    CHECK(error_code(no_policy) == "Request_ResourceNotFound");
    CHECK(body_of(no_partner).at("error").at("message") != body_of(no_policy).at("error").at("message"));
  }
  SUBCASE("tenantId in the body must match the path") {
    CHECK(call("PUT", policy_path(k_tenant), R"({"tenantId":")" + std::string(k_tenant) + R"("})").status ==
          204);
    CHECK(call("PATCH", policy_path(k_tenant), R"({"tenantId":")" + std::string(k_other) + R"("})").status ==
          400);
  }
}

TEST_CASE_FIXTURE(GraphFixture, "emulator::Graph identitySynchronization update and delete") {
  add_policy(k_tenant, R"({"displayName":"Fabrikam","userSyncInbound":{"isSyncAllowed":true}})");

  SUBCASE("PATCH changes only the given properties") {
    CHECK(call("PATCH", policy_path(k_tenant), R"({"userSyncInbound":{"isSyncAllowed":false}})").status ==
          204);
    const auto& policy = *state.policy(k_tenant);
    CHECK(policy.at("displayName") == "Fabrikam");
    CHECK(policy.at("userSyncInbound").at("isSyncAllowed") == false);
  }
  SUBCASE("PATCH of a missing policy is Directory_ObjectNotFound") {
    add_partner(k_other);
    const auto missing = call("PATCH", policy_path(k_other), R"({"displayName":"X"})");
    CHECK(missing.status == 404);
    CHECK(error_code(missing) == "Directory_ObjectNotFound");
    CHECK(body_of(missing).at("error").at("message") ==
          "Unable to read the company information from the directory.");
  }
  SUBCASE("the undocumented roleEnabledGroupSyncInbound is accepted in beta and shown once set") {
    CHECK(call("PATCH", policy_path(k_tenant), R"({"roleEnabledGroupSyncInbound":{"isSyncAllowed":true}})")
              .status == 204);
    CHECK(body_of(call("GET", policy_path(k_tenant))).at("roleEnabledGroupSyncInbound").at("isSyncAllowed") ==
          true);
  }
  SUBCASE("DELETE soft-deletes with deletedDateTime, then the policy is gone") {
    CHECK(call("DELETE", policy_path(k_tenant)).status == 204);
    CHECK(state.policy(k_tenant) == nullptr);
    REQUIRE(state.deleted_policy(k_tenant) != nullptr);
    CHECK(state.deleted_policy(k_tenant)->at("deletedDateTime") == "2025-06-18T23:11:01Z");
    CHECK(call("DELETE", policy_path(k_tenant)).status == 404);
  }
  SUBCASE("v1.0 DELETE is a soft delete too") {
    CHECK(call("DELETE", policy_path(k_tenant, "v1.0")).status == 204);
    CHECK(state.deleted_policy(k_tenant) != nullptr);
  }
}

TEST_CASE_FIXTURE(GraphFixture, "emulator::Graph request body validation") {
  add_policy(k_tenant);
  const json::object before = *state.policy(k_tenant);
  const auto rejected = [&](const std::string& method, const std::string& body,
                            const std::string& version = "beta") {
    const auto response = call(method, policy_path(k_tenant, version), body);
    CHECK(*state.policy(k_tenant) == before);  // a rejected request changes nothing
    CHECK(response.status == 400);
    CHECK(error_code(response) == "BadRequest");
    return std::string(body_of(response).at("error").at("message").as_string());
  };

  SUBCASE("unknown properties") {
    CHECK(rejected("PATCH", R"({"colour":"blue"})") ==
          "Property 'colour' does not exist on type 'microsoft.graph.crossTenantIdentitySyncPolicyPartner'. "
          "Make sure "
          "to only use property names that are defined by the type or mark the type as open type.");
    CHECK(rejected("PATCH", R"({"deletedDateTime":"2025-01-01T00:00:00Z"})").find("'deletedDateTime'") !=
          std::string::npos);
    CHECK(rejected("PATCH", R"({"userSyncInbound":{"isSyncAllowed":true,"extra":1}})")
              .find("crossTenantUserSyncInbound") != std::string::npos);
  }
  SUBCASE("beta-only properties under v1.0") {
    CHECK(rejected("PATCH", R"({"groupSyncInbound":{"isSyncAllowed":true}})", "v1.0")
              .find("'groupSyncInbound'") != std::string::npos);
    CHECK(rejected("PATCH", R"({"externalCloudAuthorizedApplicationId":null})", "v1.0")
              .find("does not exist") != std::string::npos);
  }
  SUBCASE("wrong value types and bodies that are not an object") {
    rejected("PATCH", R"({"displayName":42})");
    rejected("PATCH", R"({"displayName":{"a":1}})");
    rejected("PATCH", R"({"userSyncInbound":true})");
    rejected("PATCH", R"({"userSyncInbound":{"isSyncAllowed":"yes"}})");
    rejected("PATCH", R"([1,2])");
    rejected("PATCH", R"({"displayName":)");
  }
  SUBCASE("groupSyncInbound.isSyncAllowed is not nullable (beta metadata); userSyncInbound's is") {
    CHECK(rejected("PATCH", R"({"groupSyncInbound":{"isSyncAllowed":null}})")
              .starts_with("A null value was found for the property named 'isSyncAllowed'"));
    rejected("PUT", R"({"groupSyncInbound":{"isSyncAllowed":null}})");
    CHECK(call("PATCH", policy_path(k_tenant), R"({"userSyncInbound":{"isSyncAllowed":null}})").status == 204);
    CHECK(call("PATCH", policy_path(k_tenant), R"({"groupSyncInbound":null})").status == 204);  // the object may be
  }
  SUBCASE("numbers out of a double's range would be served as Infinity") {
    CHECK(rejected("PATCH", R"({"displayName":1e999})").find("too large") != std::string::npos);
    CHECK(call("PATCH", k_partners + "/" + k_tenant, R"({"inboundTrust":{"x":-1e999}})").status == 400);
  }
  SUBCASE("@odata.type annotations are ignored") {
    CHECK(
        call(
            "PATCH", policy_path(k_tenant),
            R"({"@odata.type":"#microsoft.graph.crossTenantIdentitySyncPolicyPartner",)"
            R"("userSyncInbound":{"@odata.type":"microsoft.graph.crossTenantUserSyncInbound","isSyncAllowed":false}})")
            .status == 204);
  }
  SUBCASE("Content-Type must be application/json") {
    auto request = make_request("PATCH", policy_path(k_tenant));
    request.body = R"({"displayName":"X"})";
    auto response = graph.handle(request);
    CHECK(response.status == 415);
    CHECK(error_code(response) == "UnsupportedMediaType");
    request.headers.push_back({"Content-Type", "text/plain"});
    CHECK(graph.handle(request).status == 415);
    request.headers.back().value = "Application/JSON; charset=utf-8";
    CHECK(graph.handle(request).status == 204);
  }
}

TEST_CASE_FIXTURE(GraphFixture, "emulator::Graph authentication and authorization") {
  add_policy(k_tenant);
  SUBCASE("no token") {
    const auto response = graph.handle(make_request("GET", policy_path(k_tenant), {}, {}));
    CHECK(response.status == 401);
    CHECK(error_code(response) == "InvalidAuthenticationToken");
    CHECK(body_of(response).at("error").at("message") == "Access token is empty.");
    CHECK(response.header("WWW-Authenticate")->starts_with("Bearer"));
  }
  SUBCASE("unknown token") {
    const auto response = graph.handle(make_request("GET", policy_path(k_tenant), {}, "forged"));
    CHECK(response.status == 401);
    CHECK(body_of(response).at("error").at("message") ==
          "Access token validation failure. Invalid audience.");
  }
  SUBCASE("read-only token reads but may not write") {
    CHECK(graph.handle(make_request("GET", policy_path(k_tenant), {}, "reader-token")).status == 200);
    const auto denied =
        graph.handle(make_request("PATCH", policy_path(k_tenant), R"({"displayName":"X"})", "reader-token"));
    CHECK(denied.status == 403);
    CHECK(error_code(denied) == "Authorization_RequestDenied");
    CHECK(body_of(denied).at("error").at("message") == "Insufficient privileges to complete the operation.");
    CHECK(graph.handle(make_request("DELETE", policy_path(k_tenant), {}, "reader-token")).status == 403);
    CHECK(state.policy(k_tenant)->at("displayName") == "Fabrikam");
  }
}

TEST_CASE_FIXTURE(GraphFixture, "emulator::Graph routing and response headers") {
  SUBCASE("unknown segments, versions and methods") {
    const auto unknown = call("GET", "/beta/policies/crossTenantAccessPolicy/nothing");
    CHECK(unknown.status == 400);
    CHECK(body_of(unknown).at("error").at("message") == "Resource not found for the segment 'nothing'.");
    CHECK(call("GET", "/v2.0/policies/crossTenantAccessPolicy/partners").status == 400);
    const auto wrong = call("PUT", k_partners);
    CHECK(wrong.status == 405);
    CHECK(wrong.header("Allow") == "GET, POST");
    CHECK(call("GET", k_partners + "/not-a-guid").status == 400);
  }
  SUBCASE("real Graph paths the emulator does not serve are 501 NotEmulated; garbage stays 400") {
    const auto not_emulated = [&](const std::string& path) {
      const auto response = call("GET", path);
      CHECK_MESSAGE(response.status == 501, path);
      CHECK(error_code(response) == "NotEmulated");
      CHECK(str(body_of(response).at("error").at("message")).starts_with("Not emulated: '" + path + "'"));
    };
    not_emulated("/beta/users");
    not_emulated("/v1.0/me");
    not_emulated("/v1.0/$metadata");
    not_emulated("/beta/policies/conditionalAccessPolicies");
    not_emulated("/beta/policies/crossTenantAccessPolicy/default");
    not_emulated("/beta/policies/crossTenantAccessPolicy");
    not_emulated(k_partners + "/" + k_tenant + "/inboundTrust");
    not_emulated("/v1.0/policies/crossTenantAccessPolicy/partners/" + std::string(k_tenant) + "/serviceProviderConstraints");
    not_emulated(policy_path(k_tenant) + "/displayName");
    not_emulated("/beta/policies/deletedItems/crossTenantPartners");
    not_emulated(k_deleted + "/" + k_tenant + "/userSyncInbound");
    for (const std::string& path : std::vector<std::string>{"/beta/nothing", "/beta/policies/nothing", k_partners + "/" + k_tenant + "/nothing",
                                   policy_path(k_tenant) + "/nothing", "/beta/policies/deletedItems/nothing",
                                   "/v1.0/policies/b2bManagementPolicies" /* beta only */}) {
      const auto response = call("GET", path);
      CHECK_MESSAGE(response.status == 400, path);
      CHECK(str(body_of(response).at("error").at("message")).starts_with("Resource not found for the segment"));
    }
  }
  SUBCASE("deleted items do not exist in v1.0") {
    const auto response = call("GET", "/v1.0/policies/deletedItems/crossTenantSyncPolicyPartners");
    CHECK(response.status == 400);
    CHECK(error_code(response) == "BadRequest");
    CHECK(body_of(response).at("error").at("message") ==
          "Resource not found for the segment 'deletedItems'.");
  }
  SUBCASE("correlation headers and the error envelope") {
    auto request = make_request("GET", policy_path(k_tenant));
    request.headers.push_back({"client-request-id", "11111111-2222-3333-4444-555555555555"});
    const auto response = graph.handle(request);
    CHECK(response.header("client-request-id") == "11111111-2222-3333-4444-555555555555");
    const auto request_id = response.header("request-id");
    REQUIRE(request_id);
    CHECK(xtsync::util::normalize_guid(*request_id));
    CHECK(response.header("x-ms-ags-diagnostic"));
    CHECK(response.header("Date") == "Wed, 18 Jun 2025 23:11:01 GMT");
    const auto inner = body_of(response).at("error").at("innerError").as_object();
    CHECK(str(inner.at("request-id")) == *request_id);
    CHECK(inner.at("client-request-id") == "11111111-2222-3333-4444-555555555555");
    CHECK(inner.at("date") == "2025-06-18T23:11:01");

    const auto fresh = call("GET", k_partners);
    CHECK(fresh.header("client-request-id"));
    CHECK(fresh.header("client-request-id") != fresh.header("request-id"));
  }
}

TEST_SUITE_END();
