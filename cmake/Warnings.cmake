# Warnings apply to reelfeed's own targets only, never to dependencies.
add_library(reelfeed_warnings INTERFACE)
target_compile_options(reelfeed_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wextra-semi -Wformat=2 -Wimplicit-fallthrough)
if(REELFEED_WARNINGS_AS_ERRORS)
  target_compile_options(reelfeed_warnings INTERFACE -Werror)
endif()
if(REELFEED_SANITIZE)
  add_compile_options(-fsanitize=${REELFEED_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${REELFEED_SANITIZE})
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
endif()
