#include "app/store_failure.hpp"

#include "store/store.hpp"

namespace reelfeed::app {

std::string describe_store_failure(const std::filesystem::path& db, const std::exception& e) {
  const std::string path = db.string();
  std::string what = e.what();
  // The Store's own messages start with the path; it is named once, below.
  if (what.starts_with(path + ": ")) {
    what.erase(0, path.size() + 2);
  }
  switch (store::failure_of(e)) {
  case store::Failure::damaged:
    return "the database " + path + " is damaged (" + what +
           "): restore it from a backup, or move it aside and let the next poll start a new one";
  case store::Failure::read_only:
    return "the database " + path + " is read-only (" + what + ")";
  case store::Failure::disk_full:
    return "no room to write the database " + path + " (" + what +
           "): nothing stored before is lost; free some space";
  case store::Failure::io_error:
    return "the disk failed reading or writing the database " + path + " (" + what + ")";
  case store::Failure::busy:
    return "another process holds the database " + path + " locked (" + what +
           "): is another reelfeed writing to it?";
  case store::Failure::cannot_open:
    return "cannot open the database " + path + ": " + what;
  case store::Failure::other:
    break;
  }
  return e.what();
}

int store_failure_exit_code(const std::exception& e) {
  const store::Failure kind = store::failure_of(e);
  return kind == store::Failure::disk_full || kind == store::Failure::io_error ? 2 : 1;
}

} // namespace reelfeed::app
