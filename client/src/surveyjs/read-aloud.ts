/**
 * "Read aloud" per question with the browser's speech synthesis and a zh-CN voice. Where the
 * device has no Chinese voice the button is not shown at all.
 */
import type { Model, Question } from 'survey-core';

let zhVoice: SpeechSynthesisVoice | null = null;
let watching = false;

function synth(): SpeechSynthesis | null {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
}

function pickVoice(): void {
  const s = synth();
  if (!s) return;
  const voices = s.getVoices();
  zhVoice =
    voices.find((v) => v.lang.toLowerCase() === 'zh-cn') ??
    voices.find((v) => /^zh([-_]hans)?/i.test(v.lang) && !/tw|hk/i.test(v.lang)) ??
    null;
}

/** Call once at start: voices load asynchronously in Chromium. */
export function initSpeech(): void {
  const s = synth();
  if (!s || watching) return;
  watching = true;
  pickVoice();
  s.addEventListener?.('voiceschanged', pickVoice);
}

export function hasChineseVoice(): boolean {
  return zhVoice !== null;
}

function plain(html: string): string {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div.textContent ?? '';
}

export function questionSpeech(q: Question): string {
  const parts = [q.processedTitle];
  const choices = (q as unknown as { visibleChoices?: Array<{ text: string }> }).visibleChoices;
  if (Array.isArray(choices)) parts.push(...choices.map((c) => c.text));
  return parts.map(plain).filter(Boolean).join('。');
}

export function speak(text: string): void {
  const s = synth();
  if (!s || !zhVoice) return;
  s.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.voice = zhVoice;
  u.lang = zhVoice.lang;
  u.rate = 0.9;
  s.speak(u);
}

export function stopSpeaking(): void {
  synth()?.cancel();
}

export function attachReadAloud(model: Model, label: string): void {
  model.onGetQuestionTitleActions.add((_sender, options) => {
    if (!hasChineseVoice()) return;
    const question = options.question;
    (options.titleActions ??= []).push({
      id: 'cw-read-aloud',
      title: `🔊 ${label}`,
      showTitle: true,
      innerCss: 'cw-read-aloud',
      action: () => speak(questionSpeech(question)),
    });
  });
}
