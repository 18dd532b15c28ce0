// doctest's implementation and main(), compiled once for both test programs (target
// xtsync_doctest_main in tests/CMakeLists.txt; not part of xtsync_test_support, which the fuzzers link).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
