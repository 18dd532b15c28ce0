# XTSYNC_COMMIT: the commit --version names. Read from git at configure time, when not given;
# a new HEAD (or index, for -dirty) reconfigures, and the generated source changes only then.
if(NOT XTSYNC_COMMIT)
  find_package(Git QUIET)
  if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
    execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short=12 HEAD
                    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE xtsync_head
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE xtsync_git_failed)
    if(NOT xtsync_git_failed AND xtsync_head)
      execute_process(COMMAND "${GIT_EXECUTABLE}" diff-index --quiet HEAD --
                      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" RESULT_VARIABLE xtsync_dirty ERROR_QUIET)
      set(XTSYNC_COMMIT "${xtsync_head}")
      if(xtsync_dirty)
        string(APPEND XTSYNC_COMMIT "-dirty")
      endif()
      # Reconfigure when HEAD moves or the index changes (-dirty): HEAD, the branch it names,
      # the index and packed-refs, as far as they exist.
      execute_process(COMMAND "${GIT_EXECUTABLE}" symbolic-ref -q HEAD
                      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE xtsync_ref
                      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      foreach(what HEAD index packed-refs ${xtsync_ref})
        execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --git-path ${what}
                        WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE xtsync_path
                        OUTPUT_STRIP_TRAILING_WHITESPACE)
        get_filename_component(xtsync_path "${xtsync_path}" ABSOLUTE BASE_DIR "${PROJECT_SOURCE_DIR}")
        if(EXISTS "${xtsync_path}")
          set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${xtsync_path}")
        endif()
      endforeach()
    endif()
  endif()
endif()
message(STATUS "xtsync ${PROJECT_VERSION}, commit ${XTSYNC_COMMIT}")
