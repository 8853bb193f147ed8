"""Every user-visible string of the reports, in English (the source language), marked for translation
in the "Report" context, and :func:`translator`, which turns them into the report's language.

Reports are Vietnamese by default. The strings are found by ``lupdate`` like the rest of the console
(``QT_TRANSLATE_NOOP("Report", ...)``) and translated through ``QCoreApplication.translate`` once
``console_vi.ts`` carries them; until then, and whenever the installed catalogue lacks one of them,
:data:`VI` below supplies the Vietnamese, so that a report is Vietnamese with or without the catalogue
and in whatever language the window happens to be. No widgets: QtCore only, imported when needed.
"""

from __future__ import annotations

from collections.abc import Callable

from console.settings import QT_TRANSLATE_NOOP

CONTEXT = "Report"
LANGUAGES = ("vi", "en")

TITLE_STATION = QT_TRANSLATE_NOOP("Report", "Grassroots broadcasting station report")
TITLE_PROVINCE = QT_TRANSLATE_NOOP("Report", "Report of the province's grassroots broadcasting stations")
YEAR = QT_TRANSLATE_NOOP("Report", "Year {year}")
QUARTER = QT_TRANSLATE_NOOP("Report", "Quarter {quarter} of {year}")
MONTH = QT_TRANSLATE_NOOP("Report", "{month_name} {year}")
MONTHS = (
    QT_TRANSLATE_NOOP("Report", "January"), QT_TRANSLATE_NOOP("Report", "February"),
    QT_TRANSLATE_NOOP("Report", "March"), QT_TRANSLATE_NOOP("Report", "April"),
    QT_TRANSLATE_NOOP("Report", "May"), QT_TRANSLATE_NOOP("Report", "June"),
    QT_TRANSLATE_NOOP("Report", "July"), QT_TRANSLATE_NOOP("Report", "August"),
    QT_TRANSLATE_NOOP("Report", "September"), QT_TRANSLATE_NOOP("Report", "October"),
    QT_TRANSLATE_NOOP("Report", "November"), QT_TRANSLATE_NOOP("Report", "December"),
)
DATES = QT_TRANSLATE_NOOP("Report", "from {start} to {end}")
STATION = QT_TRANSLATE_NOOP("Report", "Station")
STATION_LIST = QT_TRANSLATE_NOOP("Report", "Stations covered")
PERIOD = QT_TRANSLATE_NOOP("Report", "Period")
TIME_ZONE = QT_TRANSLATE_NOOP("Report", "Time zone")
GENERATED = QT_TRANSLATE_NOOP("Report", "Generated")
SOURCE = QT_TRANSLATE_NOOP("Report", "Source")
SOURCE_STATION = QT_TRANSLATE_NOOP("Report", "the station's database")
SOURCE_PROVINCE = QT_TRANSLATE_NOOP("Report", "the provincial collector (records the stations sent)")
NOT_OVER = QT_TRANSLATE_NOOP("Report", "The period is not over: figures up to {time}.")
PAGE = QT_TRANSLATE_NOOP("Report", "Page {page} of {pages}")
NO_DATA = QT_TRANSLATE_NOOP("Report", "Nothing in this period.")
CHART_TOP = QT_TRANSLATE_NOOP("Report", "(the {n} lowest)")
TOTAL = QT_TRANSLATE_NOOP("Report", "Total")
WHOLE_STATION = QT_TRANSLATE_NOOP("Report", "Whole station (each part once)")
WHOLE_PROVINCE = QT_TRANSLATE_NOOP("Report", "All stations (each part once per station)")
ALL_DEVICES = QT_TRANSLATE_NOOP("Report", "All devices")
UNKNOWN_UNIT = QT_TRANSLATE_NOOP("Report", "Not placed in a commune")
FIGURE = QT_TRANSLATE_NOOP("Report", "Figure")
VALUE = QT_TRANSLATE_NOOP("Report", "Value")

# Sections: (title, sheet name of at most 31 characters, note under the table)
SECTIONS = {
    "summary": (QT_TRANSLATE_NOOP("Report", "Summary"), QT_TRANSLATE_NOOP("Report", "Summary"), ""),
    "hours_station": (
        QT_TRANSLATE_NOOP("Report", "Broadcast hours by station"), QT_TRANSLATE_NOOP("Report", "Hours by station"),
        QT_TRANSLATE_NOOP("Report", "Broadcast hours count each scheduled part once per station, for as long as it "
                                    "played on the device that played it longest; device hours add up every device.")),
    "hours_commune": (
        QT_TRANSLATE_NOOP("Report", "Broadcast hours by commune"), QT_TRANSLATE_NOOP("Report", "Hours by commune"),
        QT_TRANSLATE_NOOP("Report", "A part heard in several communes counts in each of them, so the communes add "
                                    "up to more than the whole station.")),
    "hours_category": (
        QT_TRANSLATE_NOOP("Report", "Broadcast hours by category"), QT_TRANSLATE_NOOP("Report", "Hours by category"),
        ""),
    "priority": (
        QT_TRANSLATE_NOOP("Report", "Broadcasts by priority"), QT_TRANSLATE_NOOP("Report", "By priority"), ""),
    "bulletins": (
        QT_TRANSLATE_NOOP("Report", "Bulletins from the province by priority"),
        QT_TRANSLATE_NOOP("Report", "Province bulletins"),
        QT_TRANSLATE_NOOP("Report", "Bulletins issued in the period, by what became of them.")),
    "emergency": (
        QT_TRANSLATE_NOOP("Report", "Emergency broadcasts and their reach"), QT_TRANSLATE_NOOP("Report", "Emergency"),
        QT_TRANSLATE_NOOP("Report", "Reached: the devices that played the broadcast, wholly or in part.")),
    "availability_commune": (
        QT_TRANSLATE_NOOP("Report", "Device availability by commune"),
        QT_TRANSLATE_NOOP("Report", "Availability by commune"),
        QT_TRANSLATE_NOOP("Report", "Online time over watched time, from the devices' presence changes; "
                                    "lowest first.")),
    "availability_group": (
        QT_TRANSLATE_NOOP("Report", "Device availability by group"),
        QT_TRANSLATE_NOOP("Report", "Availability by group"),
        QT_TRANSLATE_NOOP("Report", "A device in several groups counts in each of them.")),
    "faults": (
        QT_TRANSLATE_NOOP("Report", "Faults and time to repair"), QT_TRANSLATE_NOOP("Report", "Faults"),
        QT_TRANSLATE_NOOP("Report", "Alarms raised in the period; repaired: resolved before the period ended.")),
    "receipts": (
        QT_TRANSLATE_NOOP("Report", "Receipts by commune"), QT_TRANSLATE_NOOP("Report", "Receipts"),
        QT_TRANSLATE_NOOP("Report", "One receipt per scheduled part and device.")),
}

COLUMNS = {
    "station": QT_TRANSLATE_NOOP("Report", "Station"),
    "unit": QT_TRANSLATE_NOOP("Report", "Code"),
    "unit_name": QT_TRANSLATE_NOOP("Report", "Commune"),
    "group": QT_TRANSLATE_NOOP("Report", "Group"),
    "category": QT_TRANSLATE_NOOP("Report", "Category"),
    "priority": QT_TRANSLATE_NOOP("Report", "Priority"),
    "rule": QT_TRANSLATE_NOOP("Report", "Fault"),
    "devices": QT_TRANSLATE_NOOP("Report", "Devices"),
    "parts": QT_TRANSLATE_NOOP("Report", "Parts aired"),
    "hours": QT_TRANSLATE_NOOP("Report", "Broadcast hours"),
    "device_hours": QT_TRANSLATE_NOOP("Report", "Device hours"),
    "share": QT_TRANSLATE_NOOP("Report", "Share %"),
    "issued": QT_TRANSLATE_NOOP("Report", "Issued"),
    "played": QT_TRANSLATE_NOOP("Report", "Played"),
    "partial": QT_TRANSLATE_NOOP("Report", "Partly played"),
    "missed": QT_TRANSLATE_NOOP("Report", "Missed"),
    "failed": QT_TRANSLATE_NOOP("Report", "Failed"),
    "receipts": QT_TRANSLATE_NOOP("Report", "Receipts"),
    "played_pct": QT_TRANSLATE_NOOP("Report", "Played %"),
    "scheduled": QT_TRANSLATE_NOOP("Report", "Scheduled"),
    "pending": QT_TRANSLATE_NOOP("Report", "Waiting"),
    "rejected": QT_TRANSLATE_NOOP("Report", "Rejected"),
    "undelivered": QT_TRANSLATE_NOOP("Report", "Not received"),
    "start": QT_TRANSLATE_NOOP("Report", "Start"),
    "minutes": QT_TRANSLATE_NOOP("Report", "Minutes"),
    "targeted": QT_TRANSLATE_NOOP("Report", "Devices targeted"),
    "reached": QT_TRANSLATE_NOOP("Report", "Devices reached"),
    "reach_pct": QT_TRANSLATE_NOOP("Report", "Reach %"),
    "communes": QT_TRANSLATE_NOOP("Report", "Communes reached"),
    "online_h": QT_TRANSLATE_NOOP("Report", "Online hours"),
    "observed_h": QT_TRANSLATE_NOOP("Report", "Watched hours"),
    "availability": QT_TRANSLATE_NOOP("Report", "Availability %"),
    "raised": QT_TRANSLATE_NOOP("Report", "Raised"),
    "repaired": QT_TRANSLATE_NOOP("Report", "Repaired"),
    "open": QT_TRANSLATE_NOOP("Report", "Still open"),
    "mttr_h": QT_TRANSLATE_NOOP("Report", "Mean hours to repair"),
    "median_h": QT_TRANSLATE_NOOP("Report", "Median hours"),
    "max_h": QT_TRANSLATE_NOOP("Report", "Longest hours"),
    "figure": FIGURE,
    "value": VALUE,
}

CATEGORIES = {
    "news": QT_TRANSLATE_NOOP("Report", "News"),
    "policy": QT_TRANSLATE_NOOP("Report", "Policy and law"),
    "emergency": QT_TRANSLATE_NOOP("Report", "Emergency"),
    "culture": QT_TRANSLATE_NOOP("Report", "Culture"),
    "advertisement": QT_TRANSLATE_NOOP("Report", "Advertisement"),
    "other": QT_TRANSLATE_NOOP("Report", "Other"),
    "relay": QT_TRANSLATE_NOOP("Report", "Relay of a stream"),
    "live": QT_TRANSLATE_NOOP("Report", "Live announcement"),
}
PRIORITIES = {
    "normal": QT_TRANSLATE_NOOP("Report", "Normal"),
    "priority": QT_TRANSLATE_NOOP("Report", "Priority"),
    "live": QT_TRANSLATE_NOOP("Report", "Live"),
    "emergency": QT_TRANSLATE_NOOP("Report", "Emergency"),
}
RULES = {
    "offline": QT_TRANSLATE_NOOP("Report", "Offline too long"),
    "never_seen": QT_TRANSLATE_NOOP("Report", "Never seen since adoption"),
    "fault.amp": QT_TRANSLATE_NOOP("Report", "Amplifier fault"),
    "fault.speaker_line": QT_TRANSLATE_NOOP("Report", "Speaker line fault"),
    "fault.power": QT_TRANSLATE_NOOP("Report", "Mains power lost"),
    "fault.storage": QT_TRANSLATE_NOOP("Report", "Storage fault"),
    "fault.clock": QT_TRANSLATE_NOOP("Report", "Clock fault"),
    "fault.other": QT_TRANSLATE_NOOP("Report", "Other fault"),
    "silent": QT_TRANSLATE_NOOP("Report", "Playing but silent"),
    "clock": QT_TRANSLATE_NOOP("Report", "Clock off time"),
    "weak_signal": QT_TRANSLATE_NOOP("Report", "Weak signal"),
}
SUMMARY = {
    "stations": QT_TRANSLATE_NOOP("Report", "Stations"),
    "devices": QT_TRANSLATE_NOOP("Report", "Devices in service"),
    "communes": QT_TRANSLATE_NOOP("Report", "Communes with devices"),
    "hours": QT_TRANSLATE_NOOP("Report", "Broadcast hours"),
    "parts": QT_TRANSLATE_NOOP("Report", "Parts aired"),
    "receipts": QT_TRANSLATE_NOOP("Report", "Receipts"),
    "played": QT_TRANSLATE_NOOP("Report", "Receipts: played"),
    "partial": QT_TRANSLATE_NOOP("Report", "Receipts: partly played"),
    "missed": QT_TRANSLATE_NOOP("Report", "Receipts: missed"),
    "failed": QT_TRANSLATE_NOOP("Report", "Receipts: failed"),
    "played_pct": QT_TRANSLATE_NOOP("Report", "Receipts played in full, %"),
    "emergencies": QT_TRANSLATE_NOOP("Report", "Emergency broadcasts"),
    "reach_pct": QT_TRANSLATE_NOOP("Report", "Emergency reach, % of devices targeted"),
    "availability": QT_TRANSLATE_NOOP("Report", "Device availability, %"),
    "faults": QT_TRANSLATE_NOOP("Report", "Faults raised"),
    "repaired": QT_TRANSLATE_NOOP("Report", "Faults repaired"),
    "mttr_h": QT_TRANSLATE_NOOP("Report", "Mean hours to repair"),
    "bulletins": QT_TRANSLATE_NOOP("Report", "Bulletins from the province"),
}
CHARTS = {
    "hours_category": QT_TRANSLATE_NOOP("Report", "Broadcast hours by category"),
    "availability_commune": QT_TRANSLATE_NOOP("Report", "Device availability by commune, %"),
}

# The Vietnamese of every string above (see the module's docstring).
VI = {
    "Grassroots broadcasting station report": "Báo cáo hoạt động đài truyền thanh cơ sở",
    "Report of the province's grassroots broadcasting stations":
        "Báo cáo tổng hợp các đài truyền thanh cơ sở của tỉnh",
    "Year {year}": "Năm {year}",
    "Quarter {quarter} of {year}": "Quý {roman} năm {year}",
    "{month_name} {year}": "Tháng {month} năm {year}",
    "January": "Tháng 1", "February": "Tháng 2", "March": "Tháng 3", "April": "Tháng 4", "May": "Tháng 5",
    "June": "Tháng 6", "July": "Tháng 7", "August": "Tháng 8", "September": "Tháng 9", "October": "Tháng 10",
    "November": "Tháng 11", "December": "Tháng 12",
    "from {start} to {end}": "từ ngày {start} đến ngày {end}",
    "Station": "Đài",
    "Stations": "Số đài",
    "Stations covered": "Các đài",
    "Period": "Kỳ báo cáo",
    "Time zone": "Múi giờ",
    "Generated": "Lập lúc",
    "Source": "Nguồn số liệu",
    "the station's database": "cơ sở dữ liệu của đài",
    "the provincial collector (records the stations sent)": "hệ thống thu thập của tỉnh (bản ghi các đài gửi lên)",
    "The period is not over: figures up to {time}.": "Kỳ báo cáo chưa kết thúc: số liệu tính đến {time}.",
    "Page {page} of {pages}": "Trang {page}/{pages}",
    "Nothing in this period.": "Không có số liệu trong kỳ.",
    "(the {n} lowest)": "({n} đơn vị thấp nhất)",
    "Total": "Tổng cộng",
    "Whole station (each part once)": "Toàn đài (mỗi phần tính một lần)",
    "All stations (each part once per station)": "Tất cả các đài (mỗi phần tính một lần mỗi đài)",
    "All devices": "Tất cả thiết bị",
    "Not placed in a commune": "Chưa gán xã/phường",
    "Figure": "Chỉ tiêu",
    "Value": "Số liệu",
    "Summary": "Tổng hợp",
    "Broadcast hours by station": "Số giờ phát sóng theo đài",
    "Hours by station": "Giờ phát theo đài",
    "Broadcast hours count each scheduled part once per station, for as long as it played on the device that "
    "played it longest; device hours add up every device.":
        "Số giờ phát sóng tính mỗi phần chương trình một lần cho mỗi đài, theo thời lượng phát trên cụm loa phát "
        "lâu nhất; giờ thiết bị cộng thời lượng của mọi cụm loa.",
    "Broadcast hours by commune": "Số giờ phát sóng theo xã/phường",
    "Hours by commune": "Giờ phát theo xã",
    "A part heard in several communes counts in each of them, so the communes add up to more than the whole "
    "station.": "Một phần chương trình phát ở nhiều xã được tính cho từng xã, nên tổng các xã lớn hơn số giờ "
                "của toàn đài.",
    "Broadcast hours by category": "Số giờ phát sóng theo thể loại",
    "Hours by category": "Giờ phát theo thể loại",
    "Broadcasts by priority": "Chương trình phát theo mức ưu tiên",
    "By priority": "Theo mức ưu tiên",
    "Bulletins from the province by priority": "Bản tin của tỉnh theo mức ưu tiên",
    "Province bulletins": "Bản tin của tỉnh",
    "Bulletins issued in the period, by what became of them.": "Các bản tin tỉnh gửi trong kỳ, theo kết quả xử lý.",
    "Emergency broadcasts and their reach": "Phát thanh khẩn cấp và mức độ bao phủ",
    "Emergency": "Khẩn cấp",
    "Reached: the devices that played the broadcast, wholly or in part.":
        "Đã tới: các cụm loa đã phát bản tin, toàn bộ hoặc một phần.",
    "Device availability by commune": "Tỷ lệ hoạt động của thiết bị theo xã/phường",
    "Availability by commune": "Hoạt động theo xã",
    "Online time over watched time, from the devices' presence changes; lowest first.":
        "Thời gian trực tuyến trên thời gian theo dõi, tính từ các lần thay đổi trạng thái kết nối; "
        "thấp nhất trước.",
    "Device availability by group": "Tỷ lệ hoạt động của thiết bị theo nhóm",
    "Availability by group": "Hoạt động theo nhóm",
    "A device in several groups counts in each of them.": "Một thiết bị thuộc nhiều nhóm được tính cho từng nhóm.",
    "Faults and time to repair": "Sự cố và thời gian khắc phục",
    "Faults": "Sự cố",
    "Alarms raised in the period; repaired: resolved before the period ended.":
        "Các cảnh báo phát sinh trong kỳ; đã khắc phục: được xử lý trước khi kỳ báo cáo kết thúc.",
    "Receipts by commune": "Biên nhận phát theo xã/phường",
    "Receipts": "Biên nhận",
    "One receipt per scheduled part and device.": "Mỗi phần chương trình trên mỗi cụm loa có một biên nhận.",
    "Code": "Mã",
    "Commune": "Xã/Phường",
    "Group": "Nhóm",
    "Category": "Thể loại",
    "Priority": "Ưu tiên",
    "Fault": "Loại sự cố",
    "Devices": "Thiết bị",
    "Parts aired": "Số phần đã phát",
    "Broadcast hours": "Số giờ phát sóng",
    "Device hours": "Giờ thiết bị",
    "Share %": "Tỷ lệ %",
    "Issued": "Đã gửi",
    "Played": "Đã phát",
    "Partly played": "Phát một phần",
    "Missed": "Bị bỏ lỡ",
    "Failed": "Không thành công",
    "Played %": "Đã phát %",
    "Scheduled": "Đã lên lịch",
    "Waiting": "Đang chờ",
    "Rejected": "Từ chối",
    "Not received": "Chưa nhận",
    "Start": "Bắt đầu",
    "Minutes": "Số phút",
    "Devices targeted": "Cụm loa nhận lệnh",
    "Devices reached": "Cụm loa đã phát",
    "Reach %": "Bao phủ %",
    "Communes reached": "Xã đã phát",
    "Online hours": "Giờ trực tuyến",
    "Watched hours": "Giờ theo dõi",
    "Availability %": "Tỷ lệ hoạt động %",
    "Raised": "Phát sinh",
    "Repaired": "Đã khắc phục",
    "Still open": "Chưa khắc phục",
    "Mean hours to repair": "Thời gian khắc phục trung bình (giờ)",
    "Median hours": "Trung vị (giờ)",
    "Longest hours": "Lâu nhất (giờ)",
    "News": "Tin tức",
    "Policy and law": "Chính sách, pháp luật",
    "Culture": "Văn hóa",
    "Advertisement": "Quảng cáo",
    "Other": "Khác",
    "Relay of a stream": "Tiếp sóng",
    "Live announcement": "Phát trực tiếp",
    "Normal": "Thông thường",
    "Live": "Trực tiếp",
    "Offline too long": "Mất kết nối quá lâu",
    "Never seen since adoption": "Chưa kết nối lần nào từ khi tiếp nhận",
    "Amplifier fault": "Lỗi âm ly",
    "Speaker line fault": "Lỗi đường dây loa",
    "Mains power lost": "Mất điện lưới",
    "Storage fault": "Lỗi bộ nhớ",
    "Clock fault": "Lỗi đồng hồ",
    "Other fault": "Lỗi khác",
    "Playing but silent": "Đang phát nhưng không có tiếng",
    "Clock off time": "Đồng hồ lệch giờ",
    "Weak signal": "Sóng yếu",
    "Devices in service": "Số cụm loa đang hoạt động",
    "Communes with devices": "Số xã/phường có cụm loa",
    "Receipts: played": "Biên nhận: đã phát",
    "Receipts: partly played": "Biên nhận: phát một phần",
    "Receipts: missed": "Biên nhận: bị bỏ lỡ",
    "Receipts: failed": "Biên nhận: không thành công",
    "Receipts played in full, %": "Tỷ lệ biên nhận phát trọn vẹn, %",
    "Emergency broadcasts": "Số lần phát khẩn cấp",
    "Emergency reach, % of devices targeted": "Bao phủ khẩn cấp, % cụm loa nhận lệnh",
    "Device availability, %": "Tỷ lệ hoạt động của thiết bị, %",
    "Faults raised": "Số sự cố phát sinh",
    "Faults repaired": "Số sự cố đã khắc phục",
    "Bulletins from the province": "Số bản tin của tỉnh",
    "Device availability by commune, %": "Tỷ lệ hoạt động của thiết bị theo xã/phường, %",
}

Translate = Callable[[str], str]


def translator(lang: str) -> Translate:
    """The function that puts a marked string into ``lang``. English is the source. Vietnamese comes
    from the installed Qt catalogue when it has the string (a translator may have improved it there),
    else from :data:`VI`. Safe from any thread."""
    if lang not in LANGUAGES:
        raise ValueError(f"reports are in {' or '.join(LANGUAGES)}, not {lang!r}")
    if lang == "en":
        return lambda text: text
    from PySide6.QtCore import QCoreApplication

    def tr(text: str) -> str:
        if QCoreApplication.instance() is not None:
            done = QCoreApplication.translate(CONTEXT, text)
            if done != text:
                return done
        return VI.get(text, text)

    return tr


def label(table: dict[str, str], code: str, tr: Translate) -> str:
    """A code (category, priority, rule) in words; an unknown code as it is."""
    return tr(table[code]) if code in table else code
