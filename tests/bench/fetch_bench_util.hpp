#pragma once
// Shared bits of the fetch floor programs: reading lists, wall/CPU/RSS measurement.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <sys/resource.h>

namespace reelfeed::bench {

inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Wall and CPU time since construction; prints one "key=value" line for the bench script.
class Meter {
public:
  Meter() : m_wall(std::chrono::steady_clock::now()), m_cpu(cpu_seconds()) {}
  void report(const char* what, const std::string& extra) const {
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_wall).count();
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("floor=%s wall_s=%.3f cpu_s=%.3f maxrss_mib=%.1f %s\n", what, wall,
                cpu_seconds() - m_cpu, static_cast<double>(ru.ru_maxrss) / 1024.0, extra.c_str());
  }

private:
  static double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  }
  std::chrono::steady_clock::time_point m_wall;
  double m_cpu;
};

} // namespace reelfeed::bench
