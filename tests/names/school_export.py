"""A small OneRoster 1.1 bulk export as a real SIS writes it: sections keyed by 27-character sourcedIds, two
schools that both teach Math 6 in period 3, students with long names."""

from __future__ import annotations

from pathlib import Path

LINCOLN_P3 = "25590100101Trad130MTH612011"  # Lincoln's Math 6, period 3
LINCOLN_P5 = "25590100101Trad150MTH612011"  # Lincoln's Math 6, period 5
WASHINGTON_P3 = "25590200201Trad130MTH612011"  # Washington's Math 6, period 3
LONG_NAME = "Maximiliana Featherstonehaugh-Wolfeschlegelsteinhausen"

FILES = {
    "manifest": ["propertyName,value", "manifest.version,1.0", "oneroster.version,1.1", "file.orgs,bulk",
                 "file.academicSessions,bulk", "file.courses,bulk", "file.classes,bulk", "file.users,bulk",
                 "file.enrollments,bulk"],
    "orgs": ["sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
             "lincoln,,,Lincoln Middle School,school,,", "washington,,,Washington Middle School,school,,"],
    "academicSessions": ["sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
                         "fall,,,Fall 2026,semester,2026-08-20,2026-12-18,,2027"],
    "courses": ["sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects",
                "math6-l,,,,Math 6,MATH6,06,lincoln,Mathematics", "math6-w,,,,Math 6,MATH6,06,washington,Mathematics"],
    "classes": ["sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
                "schoolSourcedId,termSourcedIds,subjects,periods",
                f"{LINCOLN_P3},,,Math 6 period 3,06,math6-l,,scheduled,,lincoln,fall,,3",
                f"{LINCOLN_P5},,,Math 6 period 5,06,math6-l,,scheduled,,lincoln,fall,,5",
                f"{WASHINGTON_P3},,,Math 6 (3rd period),06,math6-w,,scheduled,,washington,fall,,3"],
    "users": ["sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,"
              "familyName,identifier,email,grades",
              "604918,,,true,lincoln,student,,,Peter,Nash,,peter.nash@lincoln.org,06",
              f"604919,,,true,lincoln,student,,,{LONG_NAME.split()[0]},{LONG_NAME.split()[1]},,,06",
              "604920,,,true,lincoln,student,,,Ana,Lima,,ana.lima@lincoln.org,06",
              "604930,,,true,washington,student,,,Carl,Ode,,,06",
              "207270,,,true,lincoln,teacher,,,Rosa,Rivera,,rivera@lincoln.org,",
              "207271,,,true,lincoln,aide,,,Sam,Okafor,,okafor@lincoln.org,",
              "207280,,,true,washington,teacher,,,Lee,Park,,park@washington.org,"],
    "enrollments": ["sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary",
                    f"e1,,,{LINCOLN_P3},lincoln,604918,student,", f"e2,,,{LINCOLN_P3},lincoln,604919,student,",
                    f"e3,,,{LINCOLN_P5},lincoln,604920,student,", f"e4,,,{WASHINGTON_P3},washington,604930,student,",
                    f"e5,,,{LINCOLN_P3},lincoln,207270,teacher,true", f"e6,,,{LINCOLN_P3},lincoln,207271,aide,",
                    f"e7,,,{LINCOLN_P5},lincoln,207270,teacher,true",
                    f"e8,,,{WASHINGTON_P3},washington,207280,teacher,true"],
}


def write_export(folder: Path) -> Path:
    """The export's CSV files in ``folder`` (made if needed); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in FILES.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n")
    return folder
