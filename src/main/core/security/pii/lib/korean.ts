// Korean word lists: driver's licence regions, surnames, and the titles and honorifics that
// follow a name.

// Regions as written before licences switched to two-digit codes ("서울 12-345678-90").
// prettier-ignore
export const LICENSE_REGIONS = new Set([
  '서울', '부산', '경기', '강원', '충북', '충남', '전북', '전남', '경북', '경남', '제주', '대구', '인천', '광주', '대전', '울산',
]);

// Single-syllable surnames covering nearly every Korean (Statistics Korea census), including the
// initial-sound variants people write (리, 류, 라, 로, 림, 량).
// prettier-ignore
export const SURNAMES = new Set([
  '김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권', '황', '안', '송', '전', '홍',
  '유', '고', '문', '양', '손', '배', '백', '허', '남', '심', '노', '하', '곽', '성', '차', '주', '우', '구', '민', '류',
  '나', '진', '지', '엄', '채', '원', '천', '방', '공', '현', '함', '변', '염', '여', '추', '도', '소', '석', '선', '설',
  '마', '길', '연', '위', '표', '명', '기', '반', '라', '왕', '금', '옥', '육', '인', '맹', '제', '모', '탁', '국', '어',
  '은', '편', '용', '예', '경', '봉', '사', '부', '가', '복', '태', '목', '형', '피', '두', '감', '음', '빈', '동', '온',
  '호', '범', '좌', '팽', '승', '간', '상', '시', '갈', '단', '견', '당', '화', '창', '옹', '순', '계', '초', '종', '대',
  '리', '로', '림', '량', '렴', '려', '뇌', '묵', '판', '필', '학', '후', '근',
]);

// prettier-ignore
export const DOUBLE_SURNAMES = new Set(['남궁', '황보', '제갈', '사공', '선우', '서문', '독고', '동방', '어금', '망절', '소봉']);

// Titles written between a name and 님, or instead of one ("홍길동 고객님", "홍길동 과장").
// prettier-ignore
export const TITLES = new Set([
  '고객', '회원', '선생', '교수', '박사', '사장', '부사장', '대표', '회장', '부회장', '이사', '상무', '전무', '본부장', '부장', '차장',
  '과장', '팀장', '실장', '대리', '주임', '사원', '원장', '소장', '국장', '의원', '선배', '후배', '변호사', '세무사', '회계사', '기자',
  '작가', '감독', '코치', '간호사', '의사', '약사', '환자', '보호자', '담당자', '관리자', '고객센터', '매니저',
]);

// Words that end in 님 or 씨 (or come before them) and are not names.
// prettier-ignore
export const NOT_NAMES = new Set([
  ...TITLES, '어머', '아버', '할머', '할아버', '사모', '부처', '하느', '하나', '스승', '임금', '공주', '왕자', '도련', '서방', '영감', '대감',
  '신부', '목사', '수녀', '주지', '판사', '검사', '기사', '시장', '반장', '학장', '총장', '점장', '의장', '위원', '여러분', '아저', '아가',
  '마음', '솜', '날', '말', '글', '불', '맵', '발', '사용자', '작성자', '판매자', '구매자', '신청자', '운영자', '관리', '담당', '운영', '작성',
  '손', '형', '누', '언니', '오빠', '아드', '따', '주', '별', '해', '달', '햇', '고운', '친구', '주인', '사부', '도사', '대사', '조상',
  '고모', '이모', '장모', '장인', '부모', '형수', '제수', '조카', '마님', '공주', '왕비', '도령',
]);

// Syllables that may follow 님/씨 directly: particles and endings, not the rest of a longer word
// (씨앗, 씨름, 님비).
export const AFTER_HONORIFIC = new Set([...'이가은는을를의께에와과도만랑한로요입들처보부까마야여네']);

// Labels after which a name follows ("이름: 홍길동").
export const NAME_LABELS = new Set([
  '이름',
  '성명',
  '성함',
  '고객',
  '고객명',
  '예금주',
  '환자',
  '환자명',
  '수취인',
  '수령인',
  '신청인',
  '보호자',
  '담당자',
  '작성자',
  'name',
]);
