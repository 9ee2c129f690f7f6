/**
 * How many turns of the event loop other work had while `work` ran: a computation that never lets
 * go of the event loop gives none.
 */
export async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let done = false;
  let turns = 0;
  const tick = () => {
    turns += 1;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work();
  } finally {
    done = true;
  }
  return turns;
}
