"""The LLM coder: asks the model about turns concurrently, checks every answer, asks once more about turns whose
answer was unusable, and hands each turn's answer (or failure) back as it arrives."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from coding.codebook import Code
from coding.llm.answers import InvalidAnswer, parse_answer
from coding.llm.client import ChatClient, RequestFailed
from coding.llm.models import TurnAnswer, TurnPrompt, TurnText
from coding.llm.prompt import batch_labels, codebook_prompt, request_body, response_schema, turn_prompt
from coding.llm.settings import LlmSettings

AnswerCallback = Callable[[TurnAnswer], None]


class LlmCoder:
    def __init__(self, settings: LlmSettings, codes: list[Code]):
        self.settings = settings
        self.code_ids = [c.id for c in codes]
        self.system_prompt = codebook_prompt(codes)
        self.schema = response_schema(self.code_ids)

    def prompts(self, turns: list[TurnText]) -> list[TurnPrompt]:
        return [turn_prompt(self.system_prompt, t) for t in turns]

    def code(self, prompts: list[TurnPrompt], on_answer: AnswerCallback, stop: threading.Event | None = None) -> None:
        """Ask about every prompt, `concurrency` requests at a time; `on_answer` runs in the calling thread.

        Setting `stop` (or an exception in `on_answer`, such as KeyboardInterrupt) sends no further request;
        answers to requests already in flight are still delivered when stopping by `stop`.
        """
        stop = stop or threading.Event()
        size = self.settings.batch_size
        batches = [prompts[i:i + size] for i in range(0, len(prompts), size)]
        client = ChatClient(self.settings, stop)
        pool = ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="qcode-llm")
        pending: set[Future] = set()
        queued = iter(batches)

        def submit_more() -> None:
            # At most 2x concurrency batches are submitted, so a stop leaves little queued work to cancel.
            for batch in queued:
                pending.add(pool.submit(self._ask, client, batch, stop))
                if len(pending) >= 2 * self.settings.concurrency:
                    return

        try:
            submit_more()
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                pending -= done
                failures = [f.exception() for f in done if f.exception() is not None]
                for future in done:
                    for answer in future.result() if future.exception() is None else []:
                        on_answer(answer)  # answers that arrived are kept even when another request failed
                if failures:
                    raise failures[0]
                if not stop.is_set():
                    submit_more()
        except BaseException:
            # An unusable server or an interrupt: send nothing more and do not wait for requests in flight.
            stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        client.close()

    def _ask(self, client: ChatClient, batch: list[TurnPrompt], stop: threading.Event) -> list[TurnAnswer]:
        if stop.is_set():
            return []
        answers: dict[str, TurnAnswer] = {}
        todo = list(batch)
        for attempt in (1, 2):
            labels = batch_labels(len(todo))
            body = request_body(self.settings.model, self.system_prompt, todo, self.schema)
            seconds = None
            try:
                content, seconds = client.complete(body)
                parsed = parse_answer(content, labels, set(self.code_ids))
            except RequestFailed as error:
                # The client already tried again; asking once more would only double the wait.
                return [*answers.values(), *(_failed(p, str(error), attempt) for p in todo)]
            except InvalidAnswer as error:
                parsed = {label: error for label in labels}
            retry = []
            for label, prompt in zip(labels, todo):
                result = parsed[label]
                if not isinstance(result, InvalidAnswer):
                    answers[prompt.key] = TurnAnswer(document=prompt.document, turn=prompt.turn, key=prompt.key,
                                                     status="ok", codes=result, attempts=attempt, seconds=seconds)
                elif attempt == 2 or stop.is_set():
                    answers[prompt.key] = _failed(prompt, str(result), attempt)
                else:
                    retry.append(prompt)
            if not retry:
                break
            todo = retry
        return [answers[p.key] for p in batch if p.key in answers]


def _failed(prompt: TurnPrompt, error: str, attempts: int) -> TurnAnswer:
    return TurnAnswer(document=prompt.document, turn=prompt.turn, key=prompt.key, status="failed", error=error,
                      attempts=attempts)
