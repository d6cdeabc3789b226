#pragma once
// How the commands report a database they cannot use: one line that names the file and
// what is wrong with it (damaged, read-only, full, locked...), and the exit status the
// README promises for it.

#include <exception>
#include <filesystem>
#include <string>

namespace reelfeed::app {

/// "the database PATH is damaged (database disk image is malformed): ..." and the like for
/// a store failure (store::failure_of); e.what() for any other exception. No newline.
[[nodiscard]] std::string describe_store_failure(const std::filesystem::path& db,
                                                 const std::exception& e);

/// The exit status of a command the store failed: 2 when the disk refused a write (full, an
/// I/O error: a local fault a cron job must notice, nothing stored is lost), else 1.
[[nodiscard]] int store_failure_exit_code(const std::exception& e);

} // namespace reelfeed::app
