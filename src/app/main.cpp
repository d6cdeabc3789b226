#include "app/cli.hpp"

int main(int argc, char** argv) {
  return reelfeed::app::main(argc, argv);
}
