// Texts in Korean and English. Default: the browser's language; the choice is remembered
// in localStorage (only the language code — never a token or personal data).
import { useEffect, useState } from 'preact/hooks';

const en = {
  'app.name': 'TripGen',
  'app.skip': 'Skip to content',
  'app.lang': 'Language',
  'app.logout': 'Sign out',
  'app.footer': 'Map data © OpenStreetMap contributors, ODbL',
  'app.back': 'Back',
  'app.loading': 'Loading…',
  'app.retry': 'Try again',
  'app.notFound': 'This page does not exist.',
  'app.home': 'Go to the dashboard',
  'app.soon': 'This screen is coming soon.',
  'err.network': 'Cannot reach the server. Check your connection and try again.',
  'err.generic': 'Something went wrong ({code}).',
  'err.session': 'Your session has ended. Please sign in again.',
  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.remember': 'Keep me signed in',
  'login.submit': 'Sign in',
  'login.noAccount': 'No account yet?',
  'login.toSignup': 'Create one',
  'login.failed': 'Username or password is incorrect.',
  'signup.title': 'Create your account',
  'signup.name': 'Name',
  'signup.email': 'E-mail',
  'signup.phone': 'Mobile number',
  'signup.phoneHint': 'e.g. 010-1234-5678 or +821012345678',
  'signup.username': 'Username',
  'signup.usernameHint': 'At least 5 characters',
  'signup.password': 'Password',
  'signup.passwordHint': '8+ characters with a digit and a special character',
  'signup.passwordConfirm': 'Confirm password',
  'signup.terms': 'I accept the terms of service and the privacy policy',
  'signup.submit': 'Create account',
  'signup.checking': 'Checking…',
  'signup.available': 'Available',
  'signup.strength': 'Password strength',
  'signup.strength.weak': 'Weak',
  'signup.strength.medium': 'Medium',
  'signup.strength.strong': 'Strong',
  'signup.haveAccount': 'Already have an account?',
  'signup.toLogin': 'Sign in',
  'signup.done': 'Your account is ready. Sign in to start planning.',
  'v.required': 'This field is required.',
  'v.email': 'Enter a valid e-mail address.',
  'v.phone': 'Enter a mobile number like 010-1234-5678.',
  'v.usernameShort': 'A username has at least 5 characters.',
  'v.mismatch': 'The confirmation does not match the password.',
  'v.terms': 'Accept the terms to continue.',
  'v.fixErrors': 'Please correct the highlighted fields.',
  'dash.title': 'My trips',
  'dash.hello': 'Hello, {name}',
  'dash.newTrip': 'Plan a new trip',
  'dash.newTripText': 'Tell us who is travelling and where: we plan the days.',
  'dash.nearby': 'What is nearby?',
  'dash.nearbyText': 'Find sights, food and laundry within walking distance.',
  'dash.ongoing': 'Ongoing',
  'dash.planning': 'Planning',
  'dash.completed': 'Completed',
  'dash.empty.ongoing': 'No trip is under way.',
  'dash.empty.planning': 'No trip in planning. Start one above!',
  'dash.empty.completed': 'No completed trips yet.',
  'dash.members': '{n} travellers',
  'dash.noDates': 'Dates not set',
  'trip.stepOf': 'Step {n} of {of}',
  'trip.basic.title': 'Basic settings',
  'trip.name': 'Trip name',
  'trip.nameHint': '1–16 characters',
  'trip.transport': 'Getting around',
  'trip.transport.public': 'Public transport',
  'trip.transport.car': 'Car',
  'trip.members': 'Travellers',
  'trip.member': 'Traveller {n}',
  'trip.member.name': 'Name',
  'trip.member.age': 'Age',
  'trip.member.gender': 'Gender',
  'trip.member.health': 'Health',
  'trip.member.prefs': 'Interests',
  'trip.member.add': 'Add a traveller',
  'trip.member.remove': 'Remove',
  'gender.male': 'Male',
  'gender.female': 'Female',
  'gender.other': 'Other',
  'health.excellent': 'Excellent',
  'health.good': 'Good',
  'health.caution': 'Needs care',
  'health.limited': 'Limited mobility',
  'pref.sightseeing': 'Sightseeing',
  'pref.shopping': 'Shopping',
  'pref.culture': 'Culture',
  'pref.nature': 'Nature',
  'pref.sports': 'Sports',
  'pref.rest': 'Rest',
  'trip.next': 'Next',
  'trip.save': 'Save',
  'trip.dest.title': 'Destinations',
  'trip.dest.start': 'Start date',
  'trip.dest.city': 'City',
  'trip.dest.cityHint': 'Type a city, e.g. 뮌헨 or Munich',
  'trip.dest.noCity': 'No city found.',
  'trip.dest.nights': 'Nights',
  'trip.dest.lodging': 'Accommodation (optional)',
  'trip.dest.checkIn': 'Check-in',
  'trip.dest.checkOut': 'Check-out',
  'trip.dest.add': 'Add a destination',
  'trip.dest.remove': 'Remove destination',
  'trip.dest.n': 'Destination {n}',
  'trip.dest.dates': '{from} – {to} · {nights} nights',
  'trip.dest.total': 'In total: {nights} nights, {days} days ({from} – {to})',
  'trip.dest.pickDate': 'Choose a start date to see the dates.',
  'gen.title': 'Create the schedule',
  'gen.startTime': 'Daily start time',
  'gen.requests': 'Special requests (optional)',
  'gen.requestsHint': 'Must-see places, things to avoid, pace…',
  'gen.submit': 'Create schedule',
  'gen.progress': 'Creating your schedule',
  'gen.queued': 'Waiting for a free planner…',
  'gen.eta': 'About {s} s left',
  'gen.done': 'Your schedule is ready.',
  'gen.view': 'View the schedule',
  'gen.failed': 'The schedule could not be created: {error}',
  'gen.cancel': 'Cancel',
  'gen.cancelled': 'Cancelled.',
  'sched.title': 'Schedule',
  'sched.day': 'Day {n}',
  'sched.empty': 'There is no schedule yet.',
  'sched.generate': 'Create the schedule',
  'sched.min': '{n} min',
  'sched.km': '{n} km',
  'sched.m': '{n} m',
  'sched.start': 'Start',
  'sched.end': 'Back at',
  'sched.walking': 'Walking: {km} km · {kcal} kcal',
  'kind.visit': 'Visit',
  'kind.lunch': 'Lunch',
  'kind.dinner': 'Dinner',
  'kind.rest': 'Break',
  'mode.walk': 'Walk',
  'mode.transit': 'Transit',
  'mode.car': 'Car',
  'mode.taxi': 'Taxi',
} as const;

export type Key = keyof typeof en;

const ko: Record<Key, string> = {
  'app.name': 'TripGen',
  'app.skip': '본문으로 건너뛰기',
  'app.lang': '언어',
  'app.logout': '로그아웃',
  'app.footer': 'Map data © OpenStreetMap contributors, ODbL',
  'app.back': '뒤로',
  'app.loading': '불러오는 중…',
  'app.retry': '다시 시도',
  'app.notFound': '존재하지 않는 페이지입니다.',
  'app.home': '대시보드로 이동',
  'app.soon': '곧 제공될 화면입니다.',
  'err.network': '서버에 연결할 수 없습니다. 연결을 확인하고 다시 시도하세요.',
  'err.generic': '문제가 발생했습니다 ({code}).',
  'err.session': '세션이 만료되었습니다. 다시 로그인하세요.',
  'login.title': '로그인',
  'login.username': '아이디',
  'login.password': '비밀번호',
  'login.remember': '로그인 상태 유지',
  'login.submit': '로그인',
  'login.noAccount': '아직 계정이 없으신가요?',
  'login.toSignup': '회원가입',
  'login.failed': '아이디 또는 비밀번호가 올바르지 않습니다.',
  'signup.title': '회원가입',
  'signup.name': '이름',
  'signup.email': '이메일',
  'signup.phone': '휴대폰 번호',
  'signup.phoneHint': '예: 010-1234-5678 또는 +821012345678',
  'signup.username': '아이디',
  'signup.usernameHint': '5자 이상',
  'signup.password': '비밀번호',
  'signup.passwordHint': '숫자와 특수문자를 포함한 8자 이상',
  'signup.passwordConfirm': '비밀번호 확인',
  'signup.terms': '이용약관 및 개인정보 처리방침에 동의합니다',
  'signup.submit': '가입하기',
  'signup.checking': '확인 중…',
  'signup.available': '사용할 수 있습니다',
  'signup.strength': '비밀번호 강도',
  'signup.strength.weak': '약함',
  'signup.strength.medium': '보통',
  'signup.strength.strong': '강함',
  'signup.haveAccount': '이미 계정이 있으신가요?',
  'signup.toLogin': '로그인',
  'signup.done': '가입이 완료되었습니다. 로그인하고 여행을 계획하세요.',
  'v.required': '필수 입력 항목입니다.',
  'v.email': '올바른 이메일 주소를 입력하세요.',
  'v.phone': '010-1234-5678 형식의 휴대폰 번호를 입력하세요.',
  'v.usernameShort': '아이디는 5자 이상이어야 합니다.',
  'v.mismatch': '비밀번호가 일치하지 않습니다.',
  'v.terms': '계속하려면 약관에 동의하세요.',
  'v.fixErrors': '표시된 항목을 확인하세요.',
  'dash.title': '내 여행',
  'dash.hello': '{name}님, 안녕하세요',
  'dash.newTrip': '새 여행 계획하기',
  'dash.newTripText': '누가 어디로 가는지 알려주시면 일정을 만들어 드려요.',
  'dash.nearby': '주변 검색',
  'dash.nearbyText': '걸어서 갈 수 있는 명소, 맛집, 빨래방을 찾아보세요.',
  'dash.ongoing': '진행 중',
  'dash.planning': '계획 중',
  'dash.completed': '완료',
  'dash.empty.ongoing': '진행 중인 여행이 없습니다.',
  'dash.empty.planning': '계획 중인 여행이 없습니다. 위에서 시작해 보세요!',
  'dash.empty.completed': '완료된 여행이 아직 없습니다.',
  'dash.members': '{n}명',
  'dash.noDates': '날짜 미정',
  'trip.stepOf': '{of}단계 중 {n}단계',
  'trip.basic.title': '기본 설정',
  'trip.name': '여행 이름',
  'trip.nameHint': '1–16자',
  'trip.transport': '이동 수단',
  'trip.transport.public': '대중교통',
  'trip.transport.car': '자동차',
  'trip.members': '여행자',
  'trip.member': '여행자 {n}',
  'trip.member.name': '이름',
  'trip.member.age': '나이',
  'trip.member.gender': '성별',
  'trip.member.health': '건강 상태',
  'trip.member.prefs': '관심사',
  'trip.member.add': '여행자 추가',
  'trip.member.remove': '삭제',
  'gender.male': '남성',
  'gender.female': '여성',
  'gender.other': '기타',
  'health.excellent': '매우 좋음',
  'health.good': '좋음',
  'health.caution': '주의 필요',
  'health.limited': '거동 불편',
  'pref.sightseeing': '관광',
  'pref.shopping': '쇼핑',
  'pref.culture': '문화',
  'pref.nature': '자연',
  'pref.sports': '스포츠',
  'pref.rest': '휴식',
  'trip.next': '다음',
  'trip.save': '저장',
  'trip.dest.title': '여행지',
  'trip.dest.start': '출발일',
  'trip.dest.city': '도시',
  'trip.dest.cityHint': '도시를 입력하세요. 예: 뮌헨, Munich',
  'trip.dest.noCity': '도시를 찾을 수 없습니다.',
  'trip.dest.nights': '숙박',
  'trip.dest.lodging': '숙소 (선택)',
  'trip.dest.checkIn': '체크인',
  'trip.dest.checkOut': '체크아웃',
  'trip.dest.add': '여행지 추가',
  'trip.dest.remove': '여행지 삭제',
  'trip.dest.n': '여행지 {n}',
  'trip.dest.dates': '{from} – {to} · {nights}박',
  'trip.dest.total': '총 {nights}박 {days}일 ({from} – {to})',
  'trip.dest.pickDate': '출발일을 선택하면 날짜가 표시됩니다.',
  'gen.title': '일정 만들기',
  'gen.startTime': '하루 시작 시간',
  'gen.requests': '특별 요청 (선택)',
  'gen.requestsHint': '꼭 가고 싶은 곳, 피하고 싶은 것, 여행 속도…',
  'gen.submit': '일정 만들기',
  'gen.progress': '일정을 만드는 중',
  'gen.queued': '대기 중…',
  'gen.eta': '약 {s}초 남음',
  'gen.done': '일정이 완성되었습니다.',
  'gen.view': '일정 보기',
  'gen.failed': '일정을 만들지 못했습니다: {error}',
  'gen.cancel': '취소',
  'gen.cancelled': '취소되었습니다.',
  'sched.title': '일정',
  'sched.day': '{n}일차',
  'sched.empty': '아직 일정이 없습니다.',
  'sched.generate': '일정 만들기',
  'sched.min': '{n}분',
  'sched.km': '{n}km',
  'sched.m': '{n}m',
  'sched.start': '출발',
  'sched.end': '도착',
  'sched.walking': '도보: {km}km · {kcal}kcal',
  'kind.visit': '방문',
  'kind.lunch': '점심',
  'kind.dinner': '저녁',
  'kind.rest': '휴식',
  'mode.walk': '도보',
  'mode.transit': '대중교통',
  'mode.car': '자동차',
  'mode.taxi': '택시',
};

export type Lang = 'ko' | 'en';
const DICTS: Record<Lang, Record<Key, string>> = { en, ko };
const LANG_KEY = 'tripgen.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'ko' || saved === 'en') return saved;
  } catch {
    /* ignore */
  }
  const nav = typeof navigator !== 'undefined' ? navigator.languages?.[0] ?? navigator.language : 'en';
  return nav?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

let lang: Lang = initialLang();
const listeners = new Set<() => void>();
if (typeof document !== 'undefined') document.documentElement.lang = lang;

export function getLang(): Lang {
  return lang;
}

export function setLang(l: Lang) {
  lang = l;
  try {
    localStorage.setItem(LANG_KEY, l);
  } catch {
    /* ignore */
  }
  document.documentElement.lang = l;
  for (const fn of listeners) fn();
}

export function t(key: Key, params?: Record<string, string | number>): string {
  let s = DICTS[lang][key] ?? en[key] ?? key;
  if (params) for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/** Re-renders the calling component when the language changes. */
export function useLang(): Lang {
  const [l, set] = useState(lang);
  useEffect(() => {
    const fn = () => set(lang);
    listeners.add(fn);
    return () => {
      listeners.delete(fn);
    };
  }, []);
  return l;
}

// Field error codes the server sends, in Korean. In English the server's own message is used.
const KO_CODES: Record<string, string> = {
  REQUIRED: '필수 입력 항목입니다.',
  INVALID_FORMAT: '형식이 올바르지 않습니다.',
  TOO_SHORT: '너무 짧습니다.',
  TOO_LONG: '너무 깁니다.',
  MISSING_DIGIT: '숫자를 하나 이상 포함하세요.',
  MISSING_SPECIAL: '특수문자(! @ # $ 등)를 하나 이상 포함하세요.',
  MISMATCH: '비밀번호가 일치하지 않습니다.',
  TAKEN: '이미 사용 중입니다.',
  OUT_OF_RANGE: '허용 범위를 벗어났습니다.',
  UNKNOWN_CITY: '도시를 찾을 수 없습니다.',
};

export function fieldMessage(e: { code: string; message: string }): string {
  if (lang === 'ko' && KO_CODES[e.code]) return KO_CODES[e.code];
  return e.message;
}

/** Dates as the user reads them, e.g. 12. 1. (화) / Tue, Dec 1. */
export function fmtDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    timeZone: 'UTC',
  }).format(date);
}
