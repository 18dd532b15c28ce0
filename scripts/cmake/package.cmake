# Debian packages through CPack, split as a distribution would: `xtsync` (the tool, its man
# page, completions and documents) and `xtsync-emulator`. Made by scripts/release.sh:
#   cpack --config BUILD/CPackConfig.cmake -B OUT
# Dependencies come from dpkg-shlibdeps (package dpkg-dev), so they name what the binaries link.

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME xtsync)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The xtsync authors")
set(CPACK_PACKAGE_CONTACT "${XTSYNC_MAINTAINER}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${XTSYNC_HOMEPAGE}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_COMPONENTS_ALL xtsync xtsync-deb emulator emulator-deb)
set(CPACK_COMPONENT_XTSYNC_GROUP xtsync)
set(CPACK_COMPONENT_XTSYNC-DEB_GROUP xtsync)
set(CPACK_COMPONENT_EMULATOR_GROUP emulator)
set(CPACK_COMPONENT_EMULATOR-DEB_GROUP emulator)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${XTSYNC_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${XTSYNC_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_XTSYNC_PACKAGE_NAME xtsync)
set(CPACK_DEBIAN_XTSYNC_DESCRIPTION
    "manage Microsoft Entra cross-tenant identity sync policies
xtsync manages one Microsoft Graph resource from the command line: a partner
tenant's cross-tenant identity synchronization policy, which decides whether
users and groups from that partner may be synced into a Microsoft Entra
tenant. It reads, sets, deletes, restores and purges policies, lists and
exports them, and applies a declared set of partners from a YAML or JSON
file with a plan and drift detection. It signs in with every usual Entra
credential and retries throttling the way Graph asks.")
set(CPACK_DEBIAN_XTSYNC_PACKAGE_SUGGESTS xtsync-emulator)

set(CPACK_DEBIAN_EMULATOR_PACKAGE_NAME xtsync-emulator)
set(CPACK_DEBIAN_EMULATOR_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_EMULATOR_DESCRIPTION
    "local Microsoft Graph emulator for testing xtsync pipelines
xtsync-emulator is a small HTTP/1.1 server, plain or TLS, on loopback that
follows Microsoft Graph's documented behaviour for cross-tenant identity
synchronization policies: state, soft delete, restore, paging, batches,
error bodies, token endpoints and fault injection. Pipelines that use
xtsync can be tested with it offline.")

include(CPack)
