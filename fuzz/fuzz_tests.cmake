# CTest tests of the fuzz targets (label "fuzz"); included by
# fuzz/CMakeLists.txt when BUILD_TESTING is on. Each test runs a fuzzer
# through fuzz_test.sh, which checks exit status, crash files and output, so
# a test fails when the fuzzer crashes when it should not, or does not when it
# should.
set(THFUZZ_FUZZ_TEST ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_test.sh)
set(THFUZZ_TEST_WORK ${CMAKE_CURRENT_BINARY_DIR}/test-work)

# Executions per target in the short runs; the stress target runs real
# threads, so it gets fewer.
set(THFUZZ_SHORT_RUNS 3000)

foreach(target IN LISTS THFUZZ_FUZZERS_ALL)
  set(seeds ${THFUZZ_SEED_DIR}/${target})
  set(dict -dict=${CMAKE_CURRENT_BINARY_DIR}/${target}.dict)
  # Every seed runs once on the production map without a violation.
  add_test(NAME fuzz_seeds_clean_${target}
    COMMAND ${THFUZZ_FUZZ_TEST} clean $<TARGET_FILE:${target}>
            ${THFUZZ_TEST_WORK}/seeds_${target} ${seeds} -runs=0)
  # A short fuzzing run from the seeds finds nothing on the production map.
  set(runs ${THFUZZ_SHORT_RUNS})
  if(target STREQUAL "stress_fuzzer")
    set(runs 1000)
  endif()
  add_test(NAME fuzz_short_run_${target}
    COMMAND ${THFUZZ_FUZZ_TEST} clean $<TARGET_FILE:${target}>
            ${THFUZZ_TEST_WORK}/short_${target} ${seeds}
            -runs=${runs} -seed=1 ${dict})
  set_tests_properties(fuzz_seeds_clean_${target} fuzz_short_run_${target}
    PROPERTIES LABELS fuzz TIMEOUT 120)
endforeach()

# Detection: with the ghost-key fault, controlled_fuzzer finds a ghost read
# (reported as a phantom or torn value, or a checker ghost_read) from the
# seeds within a bounded number of executions, and the crash file replays.
# The same run without the fault must stay clean, so the crash is the
# fault's doing and not the harness's.
set(THFUZZ_GHOST_KEY_RUNS 20000)
set(ghost_args
  -runs=${THFUZZ_GHOST_KEY_RUNS} -seed=1
  -dict=${CMAKE_CURRENT_BINARY_DIR}/controlled_fuzzer.dict)
add_test(NAME fuzz_controlled_finds_ghost_key
  COMMAND ${THFUZZ_FUZZ_TEST} finds "ghost_read|phantom_value|torn_value"
          $<TARGET_FILE:controlled_fuzzer> ${THFUZZ_TEST_WORK}/ghost_fault
          ${THFUZZ_SEED_DIR}/controlled_fuzzer ${ghost_args})
set_tests_properties(fuzz_controlled_finds_ghost_key PROPERTIES
  ENVIRONMENT THFUZZ_FAULT=publish_tophash_before_key)
add_test(NAME fuzz_controlled_same_run_without_fault_is_clean
  COMMAND ${THFUZZ_FUZZ_TEST} clean $<TARGET_FILE:controlled_fuzzer>
          ${THFUZZ_TEST_WORK}/ghost_production
          ${THFUZZ_SEED_DIR}/controlled_fuzzer ${ghost_args})
set_tests_properties(
  fuzz_controlled_finds_ghost_key
  fuzz_controlled_same_run_without_fault_is_clean
  PROPERTIES LABELS fuzz TIMEOUT 180)

# A crash file of that kind goes through ci/import-finding.sh into a
# minimized corpus case that replays as corpus_replay_test replays corpus/.
add_test(NAME fuzz_import_finding
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/import_finding_test.sh
          $<TARGET_FILE:controlled_fuzzer> $<TARGET_FILE:tophash-fuzz>
          $<TARGET_FILE:corpus_replay_test>
          ${THFUZZ_SEED_DIR}/controlled_fuzzer ${THFUZZ_TEST_WORK}/import_finding)
set_tests_properties(fuzz_import_finding PROPERTIES LABELS fuzz TIMEOUT 120)

# A misspelt fault is refused with the list of valid names.
add_test(NAME fuzz_bad_fault_name_lists_valid_names
  COMMAND controlled_fuzzer -fault=publish_tophash_early -runs=0)
set_tests_properties(fuzz_bad_fault_name_lists_valid_names PROPERTIES
  LABELS fuzz TIMEOUT 30
  PASS_REGULAR_EXPRESSION "unknown fault 'publish_tophash_early'; valid names: none, publish_tophash_before_key,")

# Concurrency feedback reaches libFuzzer: the counters are announced as extra
# counters at start-up, and a short run from the seeds hits some of them.
add_test(NAME fuzz_controlled_announces_extra_counters
  COMMAND controlled_fuzzer -runs=0)
add_test(NAME fuzz_controlled_feedback_stats_count_hits
  COMMAND controlled_fuzzer -concurrency_feedback=stats -runs=300 -seed=1
          ${THFUZZ_SEED_DIR}/controlled_fuzzer)
add_test(NAME fuzz_bad_feedback_mode_lists_valid_modes
  COMMAND controlled_fuzzer -concurrency_feedback=yes -runs=0)
set_tests_properties(fuzz_controlled_announces_extra_counters PROPERTIES
  PASS_REGULAR_EXPRESSION "INFO: 8192 Extra Counters")
set_tests_properties(fuzz_controlled_feedback_stats_count_hits PROPERTIES
  PASS_REGULAR_EXPRESSION "concurrency feedback: [1-9][0-9]* of 8192 counters hit \\(reads-from [1-9]")
set_tests_properties(fuzz_bad_feedback_mode_lists_valid_modes PROPERTIES
  PASS_REGULAR_EXPRESSION "unknown concurrency feedback mode 'yes'; valid names: off, on")
set_tests_properties(
  fuzz_controlled_announces_extra_counters
  fuzz_controlled_feedback_stats_count_hits
  fuzz_bad_feedback_mode_lists_valid_modes
  PROPERTIES LABELS fuzz TIMEOUT 60)

# The OSS-Fuzz build script in the environment OSS-Fuzz gives it (emulated,
# no Docker), and a short AFL++ campaign. Both build in their own build
# directories (ccache makes a rebuild cheap).
add_test(NAME fuzz_oss_fuzz_check
  COMMAND ${PROJECT_SOURCE_DIR}/ci/oss-fuzz/check.sh)
set_tests_properties(fuzz_oss_fuzz_check PROPERTIES
  LABELS "fuzz;oss-fuzz" TIMEOUT 600)
# ci/afl.sh's and ci/fuzz.sh's own usage errors (--parallel 0, --jobs abc,
# unknown flags): exit 2 with a sentence, never a raw bash error (no build,
# no fuzzer run).
add_test(NAME fuzz_scripts_bad_usage
  COMMAND ${PROJECT_SOURCE_DIR}/fuzz/script_usage_test.sh)
set_tests_properties(fuzz_scripts_bad_usage PROPERTIES
  LABELS "fuzz;afl" TIMEOUT 60)
add_test(NAME fuzz_afl_short_campaign
  COMMAND ${PROJECT_SOURCE_DIR}/ci/afl.sh 20)
set_tests_properties(fuzz_afl_short_campaign PROPERTIES
  LABELS "fuzz;afl" TIMEOUT 600)

# fuzz/measure_speed.sh keeps working (fuzz/README.md, "Executions per
# second"): one 1 s round of each program, and one search for a fault the
# seeds reach in a few executions.
add_test(NAME fuzz_measure_speed_exec
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/measure_speed.sh exec --rounds 1
          --seconds 1 ${CMAKE_BINARY_DIR})
set_tests_properties(fuzz_measure_speed_exec PROPERTIES
  LABELS fuzz TIMEOUT 60
  PASS_REGULAR_EXPRESSION "ratio\n[^\n]+ +[0-9]+ +[0-9]+ +[0-9]+\\.[0-9][0-9]\n")
add_test(NAME fuzz_measure_speed_find
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/measure_speed.sh find --seeds 1
          --limit 30 ${CMAKE_BINARY_DIR} -- publish_tophash_before_key)
set_tests_properties(fuzz_measure_speed_find PROPERTIES
  LABELS fuzz TIMEOUT 60
  PASS_REGULAR_EXPRESSION "publish_tophash_before_key +[^ ]+ +1/1 ")
