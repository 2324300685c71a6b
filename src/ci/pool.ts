// A pool of at most `size` tasks at once (issue 11, `--jobs N`): each render runs its own tool
// processes, so the pool bounds how many run on the machine at the same time.

export class Pool {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly size: number) {}

  /** Runs `task` when a slot is free, in the order asked. */
  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.queue.shift()?.();
          });
      };
      if (this.running < this.size) start();
      else this.queue.push(start);
    });
  }
}
