// timed.c: timed NSFILE CMD...: runs CMD, writes its wall time (CLOCK_MONOTONIC) and its CPU time
// (user + system, from wait4) in ns to NSFILE, exits with CMD's status. Built by bench/spin/run_spin.sh
// and bench/explore/bench_explore.sh, so that both sides of the SPIN comparison are timed alike.
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char** argv) {
  if (argc < 3) return 2;
  struct timespec a, b;
  struct rusage ru;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pid_t pid = fork();
  if (pid < 0) return 2;
  if (pid == 0) { execvp(argv[2], argv + 2); _exit(127); }
  int status = 0;
  while (wait4(pid, &status, 0, &ru) < 0) {}
  clock_gettime(CLOCK_MONOTONIC, &b);
  FILE* f = fopen(argv[1], "w");
  if (!f) return 2;
  long long cpu = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
                  (long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
  fprintf(f, "%lld %lld\n", (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec), cpu);
  fclose(f);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
