package io.erlmachine.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one step per index on a fixed number of threads, as a burst of clients would, and fails with the first step that failed. */
final class Parallel {
  interface Step {
    void run(int index) throws Exception;
  }

  private Parallel() {
  }

  static void forEach(int count, int threads, Step step) throws Exception {
    try (ExecutorService writers = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        results.add(writers.submit(() -> {
          step.run(index);
          return null;
        }));
      }
      for (Future<?> result : results) {
        result.get();
      }
    }
  }
}
