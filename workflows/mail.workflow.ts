import { ActivityFailure, condition, continueAsNew, defineSignal, proxyActivities, setHandler } from "@temporalio/workflow";
import type { MailActivities } from "./mail.activities";

/**
 * The mailer (decision 025): one long-running workflow (`MAIL_WORKFLOW_ID`) that, in a timer
 * loop, asks for the messages due (new notifications' mail, the day's digests once their hour has
 * come, decided by the activity from the workflow's own clock) and sends them one by one, each
 * an activity retried on failure. A message that still fails stays waiting and is tried again in
 * a later round. `wakeMail` starts a round at once. Continues as new every 200 rounds.
 */

export const MAIL_WORKFLOW_ID = "pathways-mail";
export const MAIL_WORKFLOW_TYPE = "mailWorkflow";
export const wakeMailSignal = defineSignal("wakeMail");

export interface MailWorkflowInput {
  /** Time between rounds; a minute unless a test asks otherwise. */
  pollMs?: number;
}

const { queueMail } = proxyActivities<MailActivities>({
  startToCloseTimeout: "2 minutes",
  retry: { initialInterval: "5 seconds", maximumInterval: "1 minute", maximumAttempts: 5 },
});

const { sendMail } = proxyActivities<MailActivities>({
  startToCloseTimeout: "1 minute",
  retry: { initialInterval: "5 seconds", backoffCoefficient: 2, maximumInterval: "5 minutes", maximumAttempts: 5 },
});

const ROUNDS = 200;
const BATCH = 50;

export async function mailWorkflow(input: MailWorkflowInput = {}): Promise<void> {
  const pollMs = input.pollMs ?? 60_000;
  let wake = false;
  setHandler(wakeMailSignal, () => {
    wake = true;
  });
  for (let round = 0; round < ROUNDS; round++) {
    let due: string[] = [];
    try {
      due = await queueMail(Date.now());
    } catch (e) {
      if (!(e instanceof ActivityFailure)) throw e;
    }
    let failed = 0;
    for (const key of due) {
      try {
        await sendMail(key);
      } catch (e) {
        if (!(e instanceof ActivityFailure)) throw e;
        failed++;
      }
    }
    // A full batch that went out: more may wait, ask again at once.
    if (due.length < BATCH || failed > 0) {
      await condition(() => wake, pollMs);
      wake = false;
    }
  }
  await continueAsNew<typeof mailWorkflow>(input);
}
