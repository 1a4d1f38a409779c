/*
 * igraph's own SIR (igraph_sir, Debian's libigraph-dev) on the edge list gen_er writes, for the SIR bench to
 * measure in the same launch as sir_ref and Strata (issue 15) rather than scale a figure from another
 * machine. igraph_sir runs `no_sim` outbreaks from a uniformly random vertex each, transmission at rate beta
 * per infected–susceptible edge and recovery at rate gamma, and returns each outbreak's event times; an
 * event is an infection or a recovery, as in sir_ref.c. Outbreaks are simulated in batches of 16 (their
 * histories are kept until the batch returns), timed around the igraph_sir calls only.
 *
 *   gcc -O3 -o igraph_sir igraph_sir.c $(pkg-config --cflags --libs igraph)
 *   ./igraph_sir er10k.edges 10000 0.5 1 400 11
 * prints: igraph_sir n=10000 m=40000 reps=400: total events/s=4.1e+06 mean events/run=12229 | major 281/400
 */
#include <igraph.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: %s EDGES N BETA GAMMA REPS SEED\n", argv[0]);
    return 2;
  }
  const char *path = argv[1];
  igraph_integer_t n = atol(argv[2]);
  double beta = atof(argv[3]), gamma = atof(argv[4]);
  long reps = atol(argv[5]), seed = atol(argv[6]);

  FILE *f = fopen(path, "r");
  if (!f) { perror(path); return 1; }
  igraph_vector_int_t edges;
  igraph_vector_int_init(&edges, 0);
  long u, v;
  while (fscanf(f, "%ld %ld", &u, &v) == 2) {
    igraph_vector_int_push_back(&edges, u);
    igraph_vector_int_push_back(&edges, v);
  }
  fclose(f);
  igraph_t graph;
  if (igraph_create(&graph, &edges, n, IGRAPH_UNDIRECTED) != IGRAPH_SUCCESS) return 1;
  igraph_vector_int_destroy(&edges);
  igraph_rng_seed(igraph_rng_default(), seed);

  const long batch = 16;
  double total_ms = 0, total_events = 0;
  long major = 0;
  for (long done = 0; done < reps; done += batch) {
    long k = reps - done < batch ? reps - done : batch;
    igraph_vector_ptr_t result;
    igraph_vector_ptr_init(&result, 0);
    double start = now_ms();
    if (igraph_sir(&graph, beta, gamma, k, &result) != IGRAPH_SUCCESS) return 1;
    total_ms += now_ms() - start;
    for (long i = 0; i < k; i++) {
      igraph_sir_t *sir = VECTOR(result)[i];
      double events = (double)igraph_vector_size(&sir->times) - 1; /* the first entry is the start */
      total_events += events;
      if (events > n / 10.0) major++;
      igraph_sir_destroy(sir);
      igraph_free(sir);
    }
    igraph_vector_ptr_destroy(&result);
  }
  printf("igraph_sir n=%ld m=%ld reps=%ld: total events/s=%.3g mean events/run=%.0f | major %ld/%ld\n", (long)n, (long)igraph_ecount(&graph), reps,
         total_events / total_ms * 1e3, total_events / reps, major, reps);
  igraph_destroy(&graph);
  return 0;
}
